// A real chat over the host's WebSocket with the generated test model: per-call events go to
// their caller only, broadcasts to everyone, cancel and disconnect stop the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResult, ModelEntry, ModelStatus } from '../common/api/contract.js';
import { ErrorCode } from '../common/api/errors.js';
import type { ServerMessage } from '../common/api/wire.js';
import { startHost, type RunningHost } from './index.js';
import { connect, makeRendererFixture, type RendererFixture, type TestClient } from './testing.js';
import {
  createTestEngine,
  makeTestHome,
  TEST_MODEL_ID,
  type TestEngine,
  type TestHome,
} from './testEngine.js';

let fixture: RendererFixture;
let home: TestHome;
let engine: TestEngine;
let host: RunningHost;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  home = await makeTestHome({ models: true });
  engine = await createTestEngine(home);
  host = await startHost({ engine, rendererDir: fixture.rendererDir });
  alice = await connect(host.port, host.token);
  bob = await connect(host.port, host.token);
});

afterAll(async () => {
  alice?.close();
  bob?.close();
  await host?.close();
  await engine?.dispose();
  await home?.cleanup();
});

function result<T>(reply: ServerMessage): T {
  if (reply.type !== 'result') throw new Error(`Expected a result, got ${JSON.stringify(reply)}`);
  return reply.result as T;
}

/** The text of one call's deltas, in order. */
function deltasOf(client: TestClient, requestId: string): string[] {
  return client.messages.flatMap((message) => {
    if (message.type !== 'event' || message.event !== 'chat.delta') return [];
    const payload = message.payload as { requestId: string; text: string };
    return payload.requestId === requestId ? [payload.text] : [];
  });
}

function eventsNamed(client: TestClient, event: string): unknown[] {
  return client.messages.flatMap((m) => (m.type === 'event' && m.event === event ? [m.payload] : []));
}

describe('chat over the WebSocket', () => {
  it('lists and loads the model; progress goes to the caller, the change to everyone', async () => {
    const models = result<ModelEntry[]>(await alice.call('models.list', {}));
    expect(models.map((m) => [m.id, m.usable])).toEqual([[TEST_MODEL_ID, true]]);

    const status = result<ModelStatus>(await alice.call('models.load', { modelId: TEST_MODEL_ID }, 'load-1'));
    expect(status).toMatchObject({ state: 'loaded', modelId: TEST_MODEL_ID });

    for (const payload of eventsNamed(alice, 'models.loadProgress')) {
      expect(payload).toMatchObject({ requestId: 'load-1', modelId: TEST_MODEL_ID });
    }
    expect(eventsNamed(bob, 'models.loadProgress')).toEqual([]);
    await bob.waitFor(
      (m) =>
        m.type === 'event' &&
        m.event === 'models.changed' &&
        (m.payload as { status: ModelStatus }).status.state === 'loaded',
    );
  });

  it('streams an answer as deltas to the caller only', async () => {
    const reply = await alice.call(
      'chat.send',
      { conversationId: 'c1', text: 'Tell me a story.', maxTokens: 24 },
      'chat-1',
    );
    const answer = result<ChatResult>(reply);
    const deltas = deltasOf(alice, 'chat-1');
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.join('')).toBe(answer.text);
    expect(answer).toMatchObject({ conversationId: 'c1', stopReason: 'maxTokens', generatedTokens: 24 });
    expect(eventsNamed(bob, 'chat.delta')).toEqual([]);
  });

  it('stops at once on cancel and keeps the partial answer', async () => {
    alice.send({
      type: 'call',
      id: 'chat-2',
      method: 'chat.send',
      params: { conversationId: 'c1', text: 'And another, a very long one.', maxTokens: 32_768 },
    });
    await alice.waitFor(
      (m) =>
        m.type === 'event' &&
        m.event === 'chat.delta' &&
        (m.payload as { requestId?: string }).requestId === 'chat-2',
    );
    alice.send({ type: 'cancel', id: 'chat-2' });
    const answer = result<ChatResult>(
      await alice.waitFor((m) => (m.type === 'result' || m.type === 'error') && m.id === 'chat-2'),
    );
    expect(answer.stopReason).toBe('cancelled');
    expect(answer.generatedTokens).toBeLessThan(32_768);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(deltasOf(alice, 'chat-2').join('')).toBe(answer.text);
  });

  it("cancels a closed socket's answers, so the conversation is free again", async () => {
    const carol = await connect(host.port, host.token);
    carol.send({
      type: 'call',
      id: 'long',
      method: 'chat.send',
      params: { conversationId: 'shared', text: 'Go on forever.', maxTokens: 32_768 },
    });
    await carol.waitFor((m) => m.type === 'event' && m.event === 'chat.delta');
    carol.close();
    await carol.closed;

    // Without the cancel on close, the answer would run on for tens of thousands of tokens.
    const deadline = Date.now() + 5_000;
    let reply: ServerMessage;
    do {
      reply = await bob.call('chat.send', { conversationId: 'shared', text: 'My turn.', maxTokens: 4 });
      if (reply.type !== 'error' || reply.error.code !== ErrorCode.ChatBusy) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    expect(result<ChatResult>(reply).stopReason).toBe('maxTokens');
  });

  it('unloads, and tells everyone', async () => {
    const status = result<ModelStatus>(await bob.call('models.unload', {}));
    expect(status.state).toBe('none');
    await alice.waitFor(
      (m) =>
        m.type === 'event' &&
        m.event === 'models.changed' &&
        (m.payload as { status: ModelStatus }).status.state === 'none',
    );
    const reply = await alice.call('chat.send', { conversationId: 'c1', text: 'Still there?' });
    expect(reply).toMatchObject({ type: 'error', error: { code: ErrorCode.NoModelLoaded } });
  });
});
