// Every contract method, over a real WebSocket to the real engine: malformed payloads are
// refused with BAD_REQUEST, and the connection keeps working afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, methods, type MethodName, type Params } from '../common/api/contract.js';
import { ErrorCode } from '../common/api/errors.js';
import type { ServerMessage } from '../common/api/wire.js';
import { MAX_FRAME_BYTES, startHost, type RunningHost } from './index.js';
import { connect, makeRendererFixture, type RendererFixture, type TestClient } from './testing.js';
import { createTestEngine, makeTestHome, type TestEngine, type TestHome } from './testEngine.js';

/** A valid payload for every method; a new method fails to compile here until it has one. */
const validParams: { [M in MethodName]: Params<M> } = {
  'app.info': {},
  'models.list': {},
  'models.status': {},
  'models.load': { modelId: 'no-such-model.gguf' },
  'models.unload': {},
  'chat.send': { conversationId: 'c1', text: 'Hello', maxTokens: 4, parentId: 'm0' },
  'chat.reset': { conversationId: 'c1' },
  'chat.regenerate': { conversationId: 'c1', messageId: 'm1', maxTokens: 4 },
  'chat.edit': { conversationId: 'c1', messageId: 'm1', text: 'Hello', maxTokens: 4 },
  'chat.continue': { conversationId: 'c1', messageId: 'm1', maxTokens: 4 },
  'conversations.list': { includeDeleted: true },
  'conversations.get': { conversationId: 'c1' },
  'conversations.create': { presetId: 'default', title: 'A title' },
  'conversations.rename': { conversationId: 'c1', title: 'Renamed' },
  'conversations.pin': { conversationId: 'c1', pinned: true },
  'conversations.delete': { conversationId: 'no-such-conversation' },
  'conversations.restore': { conversationId: 'no-such-conversation' },
  'conversations.switchBranch': { conversationId: 'c1', messageId: 'm1' },
  'conversations.search': { query: 'hello', limit: 5 },
  'conversations.export': { conversationId: 'c1', format: 'json' },
  'conversations.import': { content: '{}' },
  'presets.list': {},
  'presets.create': {
    name: 'Writer',
    systemPrompt: 'You write.',
    modelId: '',
    sampling: { temperature: 0.5 },
    collections: [],
    isDefault: true,
  },
  'presets.update': {
    presetId: 'no-such-preset',
    name: 'Writer',
    systemPrompt: 'You write.',
    modelId: '',
    sampling: { temperature: 0.5 },
    collections: [],
    isDefault: true,
  },
  'presets.delete': { presetId: 'no-such-preset' },
  'library.add': { paths: [], uploads: [], collection: 'Library', watch: false },
  'library.waitIdle': {},
  'library.status': {},
  'library.pause': {},
  'library.resume': {},
  'library.cancel': { itemId: 'no-such-item' },
  'library.clearFinished': {},
  'library.search': { query: 'otters', collections: ['Library'], mode: 'hybrid', limit: 5 },
  'library.documents': { collection: 'Library' },
  'library.removeDocument': { documentId: 'no-such-document' },
  'library.unwatch': { path: '/no/such/folder' },
  'collections.list': {},
  'collections.create': { name: 'Papers' },
  'collections.rename': { collectionId: 'no-such-collection', name: 'Renamed' },
  'collections.delete': { collectionId: 'no-such-collection' },
  'models.info': { modelId: 'no-such-model.gguf' },
  'models.reveal': { modelId: 'no-such-model.gguf' },
  'models.delete': { modelId: 'no-such-model.gguf' },
  'models.import': { path: '/no/such/file.gguf', mode: 'copy' },
  'models.verify': { modelId: 'no-such-model.gguf' },
  'models.settings.get': { modelId: 'no-such-model.gguf' },
  'models.settings.set': { modelId: 'no-such-model.gguf', settings: { temperature: 0.5 } },
  'models.settings.reset': { modelId: 'no-such-model.gguf' },
  'hardware.info': {},
  'catalog.list': {},
  'catalog.fit': { entryId: 'no-such-entry', quantization: 'Q4_K_M' },
  'downloads.list': {},
  'downloads.start': { source: 'no-such-entry', quantization: 'Q4_K_M' },
  'downloads.pause': { downloadId: 'no-such-download' },
  'downloads.resume': { downloadId: 'no-such-download' },
  'downloads.cancel': { downloadId: 'no-such-download' },
  'downloads.clear': {},
  'settings.get': {},
  'settings.set': { idleUnloadMinutes: 15 },
  // Library embedding model setting (issue 4)
  'library.embedder.get': {},
  'library.embedder.set': { modelId: 'no-such-model.gguf' },
};

/** A value of another type than `value`. */
function wrongTypeFor(value: unknown): unknown {
  return typeof value === 'string' ? 42 : 'not a number';
}

/** Malformed variants of a method's valid payload, each with a description. */
function malformedPayloads(method: MethodName): Array<[string, unknown]> {
  const valid = validParams[method] as Record<string, unknown>;
  const shape = (
    methods[method].params as unknown as {
      shape: Record<string, { safeParse(v: unknown): { success: boolean } }>;
    }
  ).shape;
  const cases: Array<[string, unknown]> = [
    ['a number', 42],
    ['a string', 'hello'],
    ['an array', [valid]],
    ['true', true],
    ['an extra key', { ...valid, extra: 1 }],
    // JSON.parse makes "__proto__" an own key, as a hostile client's frame would.
    ['a __proto__ key', Object.assign(JSON.parse('{"__proto__": {"admin": true}}') as object, valid)],
  ];
  for (const key of Object.keys(shape)) {
    const { [key]: _dropped, ...rest } = valid;
    if (!shape[key]?.safeParse(undefined).success) cases.push([`no ${key}`, rest]);
    cases.push([`${key} of the wrong type`, { ...valid, [key]: wrongTypeFor(valid[key]) }]);
    cases.push([`${key} null`, { ...valid, [key]: null }]);
  }
  return cases;
}

let fixture: RendererFixture;
let home: TestHome;
let engine: TestEngine;
let host: RunningHost;
let client: TestClient;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  home = await makeTestHome();
  engine = await createTestEngine(home);
  host = await startHost({ engine, rendererDir: fixture.rendererDir });
  client = await connect(host.port, host.token);
});

afterAll(async () => {
  client?.close();
  await host?.close();
  await engine?.dispose();
  await home?.cleanup();
});

function expectError(reply: ServerMessage, code: string, id: string | null): void {
  expect(reply).toMatchObject({ type: 'error', id, error: { code } });
  if (reply.type === 'error') expect(reply.error.message.length).toBeGreaterThan(0);
}

describe('every method validates its payload', () => {
  it('has a valid sample for each method, and the samples pass validation', async () => {
    expect(Object.keys(validParams).sort()).toEqual([...methodNames].sort());
    for (const method of methodNames) {
      const reply = await client.call(method, validParams[method]);
      // They may fail for real reasons (no such model, no model loaded), never as bad requests.
      if (reply.type === 'error') expect(reply.error.code, method).not.toBe(ErrorCode.BadRequest);
    }
  });

  for (const method of methodNames) {
    describe(method, () => {
      it.each(malformedPayloads(method))('refuses %s with BAD_REQUEST', async (_case, params) => {
        const id = `${method}-${Math.random().toString(36).slice(2)}`;
        expectError(await client.call(method, params, id), ErrorCode.BadRequest, id);
      });

      it('refuses a missing or empty request id', async () => {
        expectError(await client.call(method, validParams[method], ''), ErrorCode.BadRequest, '');
        client.send({ type: 'call', method, params: validParams[method] });
        expectError(
          await client.waitFor((m) => m.type === 'error' && m.id === null),
          ErrorCode.BadRequest,
          null,
        );
        client.messages.length = 0;
      });
    });
  }

  it('requires params on the wire (wire.ts), answering under the call id', async () => {
    client.send({ type: 'call', id: 'no-params', method: 'models.status' });
    const reply = await client.waitFor((m) => m.type === 'error' && m.id === 'no-params');
    expectError(reply, ErrorCode.BadRequest, 'no-params');
  });
});

describe('messages that are not calls', () => {
  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    expectError(await client.call('models.explode', {}, 'u1'), ErrorCode.UnknownMethod, 'u1');
    expectError(await client.call('__proto__', {}, 'u2'), ErrorCode.UnknownMethod, 'u2');
    expectError(await client.call('toString', {}, 'u3'), ErrorCode.UnknownMethod, 'u3');
  });

  it.each([
    ['malformed JSON', '{"type": "call", "id": '],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['an unknown type', JSON.stringify({ type: 'subscribe', id: 'x' })],
    ['no type', JSON.stringify({ id: 'x', method: 'models.list' })],
    ['a call without a method', JSON.stringify({ type: 'call', id: 'x' })],
    ['a call with a numeric id', JSON.stringify({ type: 'call', id: 7, method: 'models.list', params: {} })],
  ])('answers %s with BAD_REQUEST', async (_case, text) => {
    client.messages.length = 0;
    client.sendRaw(text);
    const reply = await client.waitFor((m) => m.type === 'error');
    expect(reply).toMatchObject({ type: 'error', error: { code: ErrorCode.BadRequest } });
  });

  it('answers under the id when a malformed message still names one', async () => {
    client.send({ type: 'call', id: 'named', method: 5 });
    expectError(
      await client.waitFor((m) => m.type === 'error' && m.id === 'named'),
      ErrorCode.BadRequest,
      'named',
    );
  });

  it('answers a binary frame with BAD_REQUEST', async () => {
    client.messages.length = 0;
    client.sendRaw(
      Buffer.from(JSON.stringify({ type: 'call', id: 'bin', method: 'models.list', params: {} })),
    );
    expectError(await client.waitFor((m) => m.type === 'error'), ErrorCode.BadRequest, null);
  });

  it('ignores a cancel of a call that does not exist', async () => {
    client.send({ type: 'cancel', id: 'never-started' });
    const reply = await client.call('models.status', {});
    expect(reply.type).toBe('result');
  });

  it('keeps the connection working after all of that', async () => {
    expect(client.closeCode).toBeUndefined();
    const reply = await client.call('app.info', {});
    expect(reply).toMatchObject({ type: 'result', result: { modelsDir: home.modelsDir } });
  });
});

describe('frame size', () => {
  it('accepts a legal 1,000,000-character message in one frame', async () => {
    const text = 'é'.repeat(1_000_000);
    const reply = await client.call('chat.send', { conversationId: 'big', text });
    // No model is loaded: the core answers, which shows the frame was read and validated.
    expect(reply).toMatchObject({ type: 'error', error: { code: ErrorCode.NoModelLoaded } });
  });

  it('refuses an oversized frame by closing that socket (1009) only; the host keeps serving', async () => {
    const victim = await connect(host.port, host.token);
    victim.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));
    expect(await victim.closed).toBe(1009);
    const reply = await client.call('models.status', {});
    expect(reply.type).toBe('result');
    const fresh = await connect(host.port, host.token);
    expect((await fresh.call('models.list', {})).type).toBe('result');
    fresh.close();
  });
});
