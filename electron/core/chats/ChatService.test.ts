import type { Llama } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTestModel, writeTestModel } from '../../../test/support/index.js';
import type { EventName, EventPayload } from '../../common/api/contract.js';
import type { CallContext } from '../../common/api/dispatch.js';
import { ChatBusyError, EmptyMessageError, NoModelLoadedError } from '../errors/index.js';
import { ModelHost } from '../inference/ModelHost.js';
import { createLlamaRuntime } from '../inference/runtime.js';
import { ChatService } from './ChatService.js';
import { PresetStore } from './PresetStore.js';
import { ConversationStore } from './store/ConversationStore.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let llama: Llama;
let modelPath: string;
let host: ModelHost;
let chats: ChatService;
let dataDir: string;
let store: ConversationStore;

beforeAll(async () => {
  llama = await createLlamaRuntime();
  modelPath = await ensureTestModel();
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hearth-chats-'));
  store = (await ConversationStore.open({ dir: dataDir })).store;
  const presets = await PresetStore.open(dataDir);
  host = new ModelHost({ runtime: async () => llama, threads: 1, beforeUnload: () => chats.resetAll() });
  chats = new ChatService(host, { store, presets });
  await host.load({ id: 'test', path: modelPath });
});
afterEach(async () => {
  await host.dispose();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});
afterAll(async () => {
  await llama.dispose();
});

interface Call extends CallContext {
  controller: AbortController;
  deltas: string[];
}

let nextRequest = 0;
function call(onDelta?: (delta: string, call: Call) => void): Call {
  const controller = new AbortController();
  const result: Call = {
    requestId: `r${++nextRequest}`,
    signal: controller.signal,
    controller,
    deltas: [],
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (event === 'chat.started' || event === 'chat.thought') return;
      if (event !== 'chat.delta') throw new Error(`unexpected event ${event}`);
      const delta = payload as EventPayload<'chat.delta'>;
      expect(delta.requestId).toBe(result.requestId);
      result.deltas.push(delta.text);
      onDelta?.(delta.text, result);
    },
  };
  return result;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('ChatService', () => {
  it('streams an answer as deltas and stops at maxTokens', async () => {
    const c = call();
    const result = await chats.send(
      { conversationId: 'a', text: 'Tell me about the garden.', maxTokens: 24 },
      c,
    );
    expect(result.stopReason).toBe('maxTokens');
    expect(result.generatedTokens).toBe(24);
    expect(c.deltas.length).toBeGreaterThanOrEqual(10);
    expect(c.deltas.join('').trim()).toBe(result.text);
    expect(words(result.text)).toBeGreaterThanOrEqual(10);
    expect(result.evaluatedPromptTokens).toBeGreaterThan(20);
    expect(result.notice).toBeUndefined();
  });

  it('keeps the partial answer when stopped mid-stream', async () => {
    const c = call((_delta, self) => {
      if (self.deltas.length === 5) self.controller.abort();
    });
    const result = await chats.send({ conversationId: 'a', text: 'Say many things.', maxTokens: 500 }, c);
    expect(result.stopReason).toBe('cancelled');
    expect(result.generatedTokens).toBeGreaterThanOrEqual(5);
    expect(result.generatedTokens).toBeLessThan(20);
    expect(result.text.length).toBeGreaterThan(0);
    expect(c.deltas.join('').trim()).toBe(result.text);
  });

  it('evaluates only the new tokens on a follow-up turn', async () => {
    const first = await chats.send(
      {
        conversationId: 'a',
        text: 'Tell me a long story about the river and the old house.',
        maxTokens: 120,
      },
      call(),
    );
    const historyTokens = first.evaluatedPromptTokens + first.generatedTokens;
    const second = await chats.send({ conversationId: 'a', text: 'And then?', maxTokens: 10 }, call());
    // node-llama-cpp's token meter: only "And then?" and the template markers around it.
    expect(second.evaluatedPromptTokens).toBeGreaterThan(0);
    expect(second.evaluatedPromptTokens).toBeLessThan(historyTokens / 5);

    // Control: after another conversation used the sequence, the same history is evaluated again.
    await chats.send({ conversationId: 'b', text: 'Hello.', maxTokens: 5 }, call());
    const third = await chats.send({ conversationId: 'a', text: 'Go on.', maxTokens: 5 }, call());
    expect(third.evaluatedPromptTokens).toBeGreaterThan(historyTokens - first.evaluatedPromptTokens);
  });

  it('keeps conversations apart; reset stops an answer and keeps the history', async () => {
    await chats.send({ conversationId: 'a', text: 'the sun', maxTokens: 8 }, call());
    await chats.send({ conversationId: 'b', text: 'the moon', maxTokens: 8 }, call());
    const backToA = await chats.send({ conversationId: 'a', text: 'more', maxTokens: 4 }, call());
    const fresh = await chats.send({ conversationId: 'c', text: 'more', maxTokens: 4 }, call());
    // "a" carries its first turn; "c" starts from the system prompt only.
    expect(backToA.evaluatedPromptTokens).toBeGreaterThan(fresh.evaluatedPromptTokens);

    const running = chats.send({ conversationId: 'a', text: 'Talk on.', maxTokens: 2000 }, call());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await chats.reset('a');
    expect((await running).stopReason).toBe('cancelled');
    const stored = await store.get('a');
    expect(stored.tree.activePath().map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(stored.tree.activePath().at(-1)?.stopReason).toBe('cancelled');
  });

  it('refuses an empty message and a chat without a model', async () => {
    await expect(chats.send({ conversationId: 'a', text: ' \n\t ' }, call())).rejects.toBeInstanceOf(
      EmptyMessageError,
    );
    await host.unload();
    await expect(chats.send({ conversationId: 'a', text: 'hi' }, call())).rejects.toThrow(NoModelLoadedError);
    await expect(chats.send({ conversationId: 'a', text: 'hi' }, call())).rejects.toThrow(
      /No model is loaded/,
    );
  });

  it('refuses a second message in a conversation that is still answering', async () => {
    const first = chats.send({ conversationId: 'a', text: 'Talk.', maxTokens: 200 }, call());
    await expect(chats.send({ conversationId: 'a', text: 'Again.' }, call())).rejects.toBeInstanceOf(
      ChatBusyError,
    );
    // Another conversation waits its turn on the shared sequence instead.
    const other = chats.send({ conversationId: 'b', text: 'Hi.', maxTokens: 3 }, call());
    expect((await first).stopReason).toBe('maxTokens');
    expect((await other).stopReason).toBe('maxTokens');
  });

  it('cuts a 100 KB message to fit the context, with a notice', async () => {
    const vocabulary = ['the', 'house', 'river', 'garden', 'window', 'morning', 'light', 'bread'];
    let text = '';
    for (let i = 0; text.length < 100 * 1024; i++) text += `${vocabulary[(i * 7) % vocabulary.length]} `;
    const c = call();
    const result = await chats.send({ conversationId: 'long', text, maxTokens: 8 }, c);
    expect(result.notice).toMatch(/too long for this model's context \(4,096 tokens\)/);
    expect(result.notice).toMatch(/of 102,4\d\d characters/);
    expect(result.stopReason).toBe('maxTokens');
    expect(result.evaluatedPromptTokens).toBeGreaterThan(2000);
    expect(result.evaluatedPromptTokens).toBeLessThan(4096);
    // The conversation goes on afterwards.
    const next = await chats.send({ conversationId: 'long', text: 'Short one.', maxTokens: 4 }, call());
    expect(next.stopReason).toBe('maxTokens');
  });

  it('stops answers when the model changes and restores the conversation on the new one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hearth-chat-'));
    try {
      // Same vocabulary and template, other weights.
      const other = await writeTestModel(join(dir, 'other.gguf'), { seed: 9 });
      // A first message on an empty sequence: what a fresh conversation evaluates.
      const baseline = await chats.send({ conversationId: 'base', text: 'Talk.', maxTokens: 1 }, call());

      let streaming!: () => void;
      const firstDelta = new Promise<void>((resolve) => (streaming = resolve));
      const running = chats.send({ conversationId: 'a', text: 'Talk.', maxTokens: 8000 }, call(streaming));
      await firstDelta;
      await host.load({ id: 'other', path: other });
      const stopped = await running;
      expect(stopped.stopReason).toBe('cancelled');
      expect(stopped.generatedTokens).toBeLessThan(8000);

      // "a" goes on on the new model, its history restored from the store (evaluated again).
      const after = await chats.send({ conversationId: 'a', text: 'Talk.', maxTokens: 4 }, call());
      expect(after.evaluatedPromptTokens).toBeGreaterThan(baseline.evaluatedPromptTokens);
      const path = (await store.get('a')).tree.activePath();
      expect(path.map((m) => m.model?.id ?? null)).toEqual([null, 'test', null, 'other']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
