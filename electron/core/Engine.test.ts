/** The engine through the real Dispatcher, as the transports use it. */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTestModel, writeNotAGguf } from '../../test/support/index.js';
import type { ChatResult, EventName, ModelEntry, ModelStatus } from '../common/api/contract.js';
import { Dispatcher, type Outcome } from '../common/api/dispatch.js';
import { ErrorCode } from '../common/api/errors.js';
import { createEngine, type Engine } from './Engine.js';
import { createLlamaRuntime } from './inference/runtime.js';

let llama: Llama;
let home: string;
let engine: Engine;
let dispatcher: Dispatcher;
let events: { event: EventName; payload: unknown }[];
let broadcasts: ModelStatus[];
let requests = 0;

beforeAll(async () => {
  llama = await createLlamaRuntime();
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-engine-'));
  await mkdir(join(home, 'models'));
  await copyFile(await ensureTestModel(), join(home, 'models', 'tiny.gguf'));
  await writeNotAGguf(join(home, 'models', 'broken.gguf'));
  engine = await createEngine({ home, version: '0.0.0-test', llama, threads: 1 });
  events = [];
  broadcasts = [];
  engine.onEvent((...[event, payload]) => {
    if (event === 'models.changed') broadcasts.push(payload.status);
  });
  dispatcher = new Dispatcher(engine.handlers, (event, payload) => events.push({ event, payload }));
});
afterEach(async () => {
  await engine.dispose();
  await rm(home, { recursive: true, force: true });
});
afterAll(async () => {
  await llama.dispose();
});

function call(method: string, params: unknown = {}, requestId = `req-${++requests}`): Promise<Outcome> {
  return dispatcher.call(method, params, requestId);
}

async function ok<T>(outcome: Promise<Outcome>): Promise<T> {
  const settled = await outcome;
  if (!settled.ok) throw new Error(`${settled.error.code}: ${settled.error.message}`);
  return settled.result as T;
}

async function errorCode(outcome: Promise<Outcome>): Promise<string> {
  const settled = await outcome;
  return settled.ok ? 'ok' : settled.error.code;
}

describe('Engine through the Dispatcher', () => {
  it('reports app info and lists the models folder', async () => {
    expect(await ok(call('app.info'))).toEqual({
      version: '0.0.0-test',
      dataDir: home,
      modelsDir: join(home, 'models'),
      platform: process.platform,
    });
    const models = await ok<ModelEntry[]>(call('models.list'));
    expect(models.map((m) => [m.id, m.usable])).toEqual([
      ['broken.gguf', false],
      ['tiny.gguf', true],
    ]);
    expect(await ok(call('models.status'))).toEqual({ state: 'none', modelId: null });
  });

  it('loads with progress events, chats with deltas, follows up cheaply and unloads', async () => {
    const status = await ok<ModelStatus>(call('models.load', { modelId: 'tiny.gguf' }, 'load-1'));
    expect(status).toMatchObject({ state: 'loaded', modelId: 'tiny.gguf', contextSize: 4096, threads: 1 });
    const progress = events.filter((e) => e.event === 'models.loadProgress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)?.payload).toEqual({ requestId: 'load-1', modelId: 'tiny.gguf', progress: 1 });
    expect(broadcasts.map((s) => s.state)).toEqual(['loading', 'loaded']);

    const first = await ok<ChatResult>(
      call('chat.send', { conversationId: 'c1', text: 'Tell me about the sea.', maxTokens: 30 }, 'chat-1'),
    );
    const deltas = events.filter((e) => e.event === 'chat.delta');
    expect(deltas.length).toBeGreaterThanOrEqual(10);
    expect(deltas[0]?.payload).toMatchObject({ requestId: 'chat-1', conversationId: 'c1' });
    expect(first).toMatchObject({ conversationId: 'c1', stopReason: 'maxTokens', generatedTokens: 30 });

    const second = await ok<ChatResult>(
      call('chat.send', { conversationId: 'c1', text: 'Why?', maxTokens: 5 }),
    );
    expect(second.evaluatedPromptTokens).toBeLessThan(
      (first.evaluatedPromptTokens + first.generatedTokens) / 3,
    );

    expect(await ok(call('chat.reset', { conversationId: 'c1' }))).toEqual({});
    expect(await ok(call('models.unload'))).toEqual({ state: 'none', modelId: null });
    expect(broadcasts.map((s) => s.state)).toEqual(['loading', 'loaded', 'none']);
    expect(await errorCode(call('chat.send', { conversationId: 'c1', text: 'Hello?' }))).toBe(
      ErrorCode.NoModelLoaded,
    );
  });

  it('cancels a streaming answer by request id and keeps the partial text', async () => {
    await ok(call('models.load', { modelId: 'tiny.gguf' }));
    const sending = call('chat.send', { conversationId: 'c', text: 'Talk to me.', maxTokens: 1000 }, 'long');
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (events.filter((e) => e.event === 'chat.delta').length >= 3) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    expect(dispatcher.cancel('long')).toBe(true);
    const result = await ok<ChatResult>(sending);
    expect(result.stopReason).toBe('cancelled');
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.generatedTokens).toBeLessThan(1000);
  });

  it('returns typed errors for bad requests', async () => {
    expect(await errorCode(call('models.load', { modelId: 'nope.gguf' }))).toBe(ErrorCode.ModelNotFound);
    expect(await errorCode(call('models.load', { modelId: '../../etc/passwd.gguf' }))).toBe(
      ErrorCode.ModelNotFound,
    );
    expect(await errorCode(call('models.load', { modelId: 'broken.gguf' }))).toBe(ErrorCode.ModelInvalid);
    expect(await errorCode(call('models.load', {}))).toBe(ErrorCode.BadRequest);
    expect(await errorCode(call('chat.send', { conversationId: 'c', text: '   ' }))).toBe(
      ErrorCode.EmptyMessage,
    );

    const loading = call('models.load', { modelId: 'tiny.gguf' });
    expect(await errorCode(call('models.load', { modelId: 'tiny.gguf' }))).toBe(ErrorCode.ModelBusy);
    expect(await errorCode(loading)).toBe('ok');
  });

  it('answers ModelTooLarge with the numbers when memory is short', async () => {
    const small = await createEngine({
      home,
      version: 'x',
      llama,
      threads: 1,
      memoryProbe: async () => ({ freeBytes: 2_000_000, totalBytes: 4_000_000 }),
    });
    try {
      const outcome = await new Dispatcher(small.handlers, () => {}).call(
        'models.load',
        { modelId: 'tiny.gguf' },
        'big',
      );
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.code).toBe(ErrorCode.ModelTooLarge);
      expect(outcome.error.message).toMatch(/needs about \d+ MB of memory, you have 2 MB available/);
    } finally {
      await small.dispose();
    }
  });

  it('reads HEARTH_THREADS when no thread count is given', async () => {
    const fromEnv = await createEngine({ home, version: 'x', llama, env: { HEARTH_THREADS: '1' } });
    try {
      const status = await fromEnv.loadModelFile(join(home, 'models', 'tiny.gguf'));
      expect(status).toMatchObject({
        state: 'loaded',
        threads: 1,
        modelId: join(home, 'models', 'tiny.gguf'),
      });
    } finally {
      await fromEnv.dispose();
    }
  });
});
