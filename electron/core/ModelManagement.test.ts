/**
 * Model management through the engine's contract handlers, on generated models, the real
 * node-llama-cpp and a real local HTTP server: verification, fit, settings, switching, LoRA,
 * delete, idle unload, import, and catalog downloads.
 */
import {
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rename,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildSplitTestModel,
  serveTinyCatalog,
  encodeGguf,
  ensureTestModel,
  startDownloadServer,
  TINY_CATALOG_ENTRY,
  writeNotAGguf,
  writeTestLora,
  writeTestModel,
  type DownloadServer,
  type GgufValue,
} from '../../test/support/index.js';
import type { DownloadInfo, EventName, MethodName, Params, Result } from '../common/api/contract.js';
import { Dispatcher } from '../common/api/dispatch.js';
import type { SerializedError } from '../common/api/errors.js';
import { createEngine, type Engine, type EngineOptions } from './Engine.js';
import { createLlamaRuntime } from './inference/runtime.js';

let llama: Llama;
let home: string;
let modelsDir: string;
let engines: Engine[];
let events: Array<{ event: EventName; payload: unknown }>;
let broadcasts: Array<{ event: string; payload: unknown }>;
let requestCount = 0;

beforeAll(async () => {
  llama = await createLlamaRuntime();
});
afterAll(async () => {
  await llama.dispose();
});

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-manage-'));
  modelsDir = join(home, 'models');
  await mkdir(modelsDir);
  await copyFile(await ensureTestModel(), join(modelsDir, 'tiny.gguf'));
  await writeTestModel(join(modelsDir, 'other.gguf'), { seed: 5, name: 'Other' });
  engines = [];
  events = [];
  broadcasts = [];
});
afterEach(async () => {
  for (const engine of engines) await engine.dispose();
  await rm(home, { recursive: true, force: true });
});

interface Api {
  call<M extends MethodName>(method: M, params: Params<M>, requestId?: string): Promise<Result<M>>;
  fail<M extends MethodName>(method: M, params: Params<M>): Promise<SerializedError>;
  engine: Engine;
}

async function open(options: Partial<EngineOptions> = {}): Promise<Api> {
  const engine = await createEngine({ home, version: '0.0.0-test', llama, threads: 1, env: {}, ...options });
  engines.push(engine);
  engine.onEvent((event, payload) => broadcasts.push({ event, payload }));
  const dispatcher = new Dispatcher(engine.handlers, (event, payload) => events.push({ event, payload }));
  const run = async (method: MethodName, params: unknown, requestId?: string) =>
    dispatcher.call(method, params, requestId ?? `r${++requestCount}`);
  return {
    engine,
    async call(method, params, requestId) {
      const outcome = await run(method, params, requestId);
      if (!outcome.ok) throw new Error(`${method} failed: ${outcome.error.code} ${outcome.error.message}`);
      return outcome.result as never;
    },
    async fail(method, params) {
      const outcome = await run(method, params);
      if (outcome.ok) throw new Error(`${method} succeeded: ${JSON.stringify(outcome.result)}`);
      return outcome.error;
    },
  };
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('verification', () => {
  it('records a sha256 on verify, re-checks size and mtime before loading, and flags a changed file', async () => {
    const api = await open();
    const before = (await api.call('models.list', {})).find((m) => m.id === 'tiny.gguf');
    expect(before).toMatchObject({ verification: 'unrecorded', kind: 'model' });
    expect(before?.sha256).toBeUndefined();

    const verified = await api.call('models.verify', { modelId: 'tiny.gguf' }, 'verify-1');
    expect(verified).toMatchObject({
      verification: 'verified',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(
      events.some(
        (e) => e.event === 'models.importProgress' && (e.payload as { progress: number }).progress === 1,
      ),
    ).toBe(true);

    // Same bytes, new mtime: flagged, refused, and accepted again by a verify that finds the same hash.
    const path = join(modelsDir, 'tiny.gguf');
    await utimes(path, new Date(), new Date(Date.now() + 5000));
    const refused = await api.fail('models.load', { modelId: 'tiny.gguf' });
    expect(refused.code).toBe('MODEL_CHANGED');
    expect(refused.message).toMatch(/changed on disk since its sha256 was recorded/);
    expect((await api.call('models.list', {})).find((m) => m.id === 'tiny.gguf')?.verification).toBe(
      'changed',
    );
    expect((await api.call('models.verify', { modelId: 'tiny.gguf' })).verification).toBe('verified');
    expect(await api.call('models.load', { modelId: 'tiny.gguf' })).toMatchObject({ state: 'loaded' });
    await api.call('models.unload', {});

    // Different bytes: verify refuses until the new file is accepted.
    await writeTestModel(path, { seed: 9 });
    expect((await api.fail('models.verify', { modelId: 'tiny.gguf' })).message).toMatch(
      /is not the file that was recorded/,
    );
    const accepted = await api.call('models.verify', { modelId: 'tiny.gguf', accept: true });
    expect(accepted.verification).toBe('verified');
    expect(accepted.sha256).not.toBe(verified.sha256);
  });
});

describe('hardware and fit', () => {
  it('reports the machine, and a fit badge per model from GgufInsights', async () => {
    const api = await open();
    const hardware = await api.call('hardware.info', {});
    expect(hardware.totalRamBytes).toBeGreaterThan(0);
    expect(hardware.cpuCores).toBeGreaterThan(0);
    const tiny = (await api.call('models.list', {})).find((m) => m.id === 'tiny.gguf');
    const expected = hardware.gpu === false ? 'cpu' : 'gpu-full';
    expect(tiny?.fit).toMatchObject({ level: expected, totalLayers: expect.any(Number) });
    expect(tiny?.fit?.estimatedBytes).toBeGreaterThan(0);
  });

  it('says "will not fit" on a machine too small for the model', async () => {
    const api = await open({
      hardware: async () => ({
        totalRamBytes: 1_000_000,
        freeRamBytes: 500_000,
        gpu: false,
        gpuNames: [],
        totalVramBytes: 0,
        freeVramBytes: 0,
        cpuCores: 2,
      }),
    });
    const tiny = (await api.call('models.list', {})).find((m) => m.id === 'tiny.gguf');
    expect(tiny?.fit).toMatchObject({ level: 'too-big', label: 'will not fit' });
  });
});

describe('per-model settings', () => {
  it('validates, persists atomically, resets, and applies the context size at load', async () => {
    const api = await open();
    expect(await api.call('models.settings.get', { modelId: 'tiny.gguf' })).toMatchObject({
      contextSize: 'auto',
      gpuLayers: 'auto',
      temperature: 0.7,
      loras: [],
    });
    const saved = await api.call('models.settings.set', {
      modelId: 'tiny.gguf',
      settings: { contextSize: 2048, temperature: 0.2, systemPrompt: 'Be brief.' },
    });
    expect(saved).toMatchObject({ contextSize: 2048, temperature: 0.2, systemPrompt: 'Be brief.', topK: 40 });
    const tooLong = await api.fail('models.settings.set', {
      modelId: 'tiny.gguf',
      settings: { contextSize: 8192 },
    });
    expect(tooLong).toMatchObject({ code: 'INVALID_SETTINGS' });
    expect(tooLong.message).toMatch(
      /contextSize: 8192 is more than the model's trained context length \(4096\)/,
    );
    expect(
      (await api.fail('models.settings.set', { modelId: 'tiny.gguf', settings: { temperature: -1 } })).code,
    ).toBe('BAD_REQUEST');
    expect(await readdir(home)).not.toContainEqual(expect.stringMatching(/\.tmp$/));

    // A new engine (an app restart) reads them back, and a load uses the stored context size.
    const again = await open();
    expect((await again.call('models.settings.get', { modelId: 'tiny.gguf' })).temperature).toBe(0.2);
    expect(await again.call('models.load', { modelId: 'tiny.gguf' })).toMatchObject({ contextSize: 2048 });
    const answer = await again.call('chat.send', { conversationId: 'c', text: 'Hello', maxTokens: 4 });
    expect(answer.generatedTokens).toBeGreaterThan(0);

    // Sampling and the system prompt apply without a reload; a new context size reloads.
    await again.call('models.settings.set', {
      modelId: 'tiny.gguf',
      settings: { systemPrompt: 'Be very brief.' },
    });
    const progressBefore = events.filter((e) => e.event === 'models.loadProgress').length;
    expect(await again.call('models.load', { modelId: 'tiny.gguf' })).toMatchObject({ contextSize: 2048 });
    expect(events.filter((e) => e.event === 'models.loadProgress').length).toBe(progressBefore);
    const followUp = await again.call('chat.send', { conversationId: 'c', text: 'More', maxTokens: 4 });
    expect(followUp.generatedTokens).toBeGreaterThan(0);
    await again.call('models.settings.set', { modelId: 'tiny.gguf', settings: { contextSize: 1024 } });
    expect(await again.call('models.load', { modelId: 'tiny.gguf' })).toMatchObject({ contextSize: 1024 });
    expect(await again.call('models.settings.reset', { modelId: 'tiny.gguf' })).toMatchObject({
      contextSize: 'auto',
      temperature: 0.7,
      systemPrompt: '',
    });
  });
});

describe('per-model settings in conversations', () => {
  it("applies the loaded model's sampling from its next answer, under what a preset chose itself", async () => {
    const api = await open();
    await api.call('models.load', { modelId: 'tiny.gguf' });
    const loads = () => events.filter((e) => e.event === 'models.loadProgress').length;
    const loadsBefore = loads();
    const answerSettings = async (conversationId: string) => {
      await api.call('chat.send', { conversationId, text: 'Hello', maxTokens: 3 });
      const { path } = await api.call('conversations.get', { conversationId });
      return path.at(-1)?.settings;
    };

    await api.call('models.settings.set', {
      modelId: 'tiny.gguf',
      settings: { temperature: 0.2, topK: 12, maxTokens: 64 },
    });
    expect(await answerSettings('plain')).toEqual({
      temperature: 0.2,
      topK: 12,
      topP: 0.9,
      minP: 0.05,
      maxTokens: 3,
    });

    // A preset that chose its own temperature keeps it; the model's settings fill in the rest.
    const careful = await api.call('presets.create', { name: 'Careful', sampling: { temperature: 0.1 } });
    const chat = await api.call('conversations.create', { presetId: careful.id });
    expect(await answerSettings(chat.id)).toMatchObject({ temperature: 0.1, topK: 12 });

    // Reset: the defaults again at the next answer, and none of this reloaded the model.
    await api.call('models.settings.reset', { modelId: 'tiny.gguf' });
    expect(await answerSettings('plain')).toMatchObject({ temperature: 0.7, topK: 40 });
    expect(loads()).toBe(loadsBefore);
  });
});

describe('switching, LoRA and delete', () => {
  it('restores the previous model when the new one fails to load, with a clear error', async () => {
    const api = await open();
    // Right type and architecture, mismatched shapes (rank 4 in lora_a, 3 in lora_b): only llama.cpp
    // itself finds out, when the context is created, after the old model was freed to make room.
    const badLora = join(home, 'bad-lora.gguf');
    await writeFile(
      badLora,
      encodeGguf(
        new Map<string, GgufValue>([
          ['general.architecture', { type: 'string', value: 'llama' }],
          ['general.type', { type: 'string', value: 'adapter' }],
          ['adapter.type', { type: 'string', value: 'lora' }],
          ['adapter.lora.alpha', { type: 'f32', value: 4 }],
        ]),
        [
          { name: 'blk.0.attn_q.weight.lora_a', dims: [64, 4], data: new Float32Array(64 * 4) },
          { name: 'blk.0.attn_q.weight.lora_b', dims: [3, 64], data: new Float32Array(3 * 64) },
        ],
      ),
    );
    await api.call('models.load', { modelId: 'tiny.gguf' });
    await api.call('models.settings.set', {
      modelId: 'other.gguf',
      settings: { loras: [{ path: badLora, scale: 1 }] },
    });
    const failure = await api.fail('models.load', { modelId: 'other.gguf' });
    expect(failure.code).toBe('MODEL_LOAD_FAILED');
    expect(failure.message).toMatch(
      /Other could not be loaded: .* Hearth test model \(seed 1\) is loaded again\./,
    );
    expect(await api.call('models.status', {})).toMatchObject({ state: 'loaded', modelId: 'tiny.gguf' });
  });

  it('attaches a LoRA adapter with a scale, shown in the model info, and chats with it', async () => {
    const api = await open();
    const adapter = await writeTestLora(join(modelsDir, 'adapters', 'tiny-lora.gguf'));
    const listed = (await api.call('models.list', {})).find((m) => m.id === 'adapters/tiny-lora.gguf');
    expect(listed).toMatchObject({ kind: 'adapter', usable: true });
    expect(listed?.fit).toBeUndefined();
    const wrongArch = await writeTestLora(join(home, 'qwen-lora.gguf'), { architecture: 'qwen2' });
    expect(
      (
        await api.fail('models.settings.set', {
          modelId: 'tiny.gguf',
          settings: { loras: [{ path: wrongArch, scale: 1 }] },
        })
      ).message,
    ).toMatch(/is for qwen2 models, this one is llama/);
    expect(
      (
        await api.fail('models.settings.set', {
          modelId: 'tiny.gguf',
          settings: { loras: [{ path: join(modelsDir, 'other.gguf'), scale: 1 }] },
        })
      ).message,
    ).toMatch(/is not a LoRA adapter/);

    await api.call('models.settings.set', {
      modelId: 'tiny.gguf',
      settings: { loras: [{ path: adapter, scale: 0.5 }] },
    });
    const info = await api.call('models.info', { modelId: 'tiny.gguf' });
    expect(info.settings.loras).toEqual([{ path: adapter, scale: 0.5 }]);
    expect(info.metadata['general.architecture']).toBe('llama');
    expect(info.layers).toBeGreaterThan(0);
    expect(await api.call('models.load', { modelId: 'tiny.gguf' })).toMatchObject({ state: 'loaded' });
    const answer = await api.call('chat.send', { conversationId: 'c', text: 'Hello', maxTokens: 4 });
    expect(answer.generatedTokens).toBeGreaterThan(0);
  });

  it('unloads the loaded model before deleting it, and removes its file and record', async () => {
    const api = await open();
    await api.call('models.verify', { modelId: 'tiny.gguf' });
    await api.call('models.load', { modelId: 'tiny.gguf' });
    await api.call('models.delete', { modelId: 'tiny.gguf' });
    expect(await api.call('models.status', {})).toMatchObject({ state: 'none' });
    expect(await readdir(modelsDir)).toEqual(['other.gguf']);
    expect((await api.call('models.list', {})).map((m) => m.id)).toEqual(['other.gguf']);
    expect(broadcasts.some((b) => b.event === 'models.listChanged')).toBe(true);
    expect((await api.fail('models.delete', { modelId: 'tiny.gguf' })).code).toBe('MODEL_NOT_FOUND');
  });
});

describe('loading overrides and reveal', () => {
  it('refuses a model that does not fit with the numbers, and loads it when the user confirms (force)', async () => {
    const api = await open({ memoryProbe: async () => ({ freeBytes: 1000, totalBytes: 2000 }) });
    const refused = await api.fail('models.load', { modelId: 'tiny.gguf' });
    expect(refused.code).toBe('MODEL_TOO_LARGE');
    expect(refused.message).toMatch(/needs about .* you have .* available/);
    expect(
      await api.call('models.load', { modelId: 'tiny.gguf', force: true, contextSize: 1024 }),
    ).toMatchObject({
      state: 'loaded',
      contextSize: 1024,
    });
  });

  it('reveals a model file only where the front can (the desktop app)', async () => {
    const headless = await open();
    expect((await headless.fail('models.reveal', { modelId: 'tiny.gguf' })).code).toBe('NOT_SUPPORTED');
    const revealed: string[] = [];
    const desktop = await open({ revealInFolder: (path) => void revealed.push(path) });
    await desktop.call('models.reveal', { modelId: 'tiny.gguf' });
    expect(revealed).toEqual([join(modelsDir, 'tiny.gguf')]);
    expect((await desktop.fail('models.reveal', { modelId: '../secret.gguf' })).code).toBe('MODEL_NOT_FOUND');
  });
});

describe('lifecycle', () => {
  it('unloads after the idle time and reloads with progress on the next message, keeping the conversation', async () => {
    const api = await open({ idleMinuteMs: 150 });
    await api.call('settings.set', { idleUnloadMinutes: 1 });
    expect(await api.call('settings.get', {})).toEqual({ idleUnloadMinutes: 1 });
    await api.call('models.load', { modelId: 'tiny.gguf' });
    await api.call('chat.send', { conversationId: 'c', text: 'Hello', maxTokens: 3 });
    await waitFor(async () => (await api.call('models.status', {})).state === 'none', 'the idle unload');

    const answer = await api.call(
      'chat.send',
      { conversationId: 'c', text: 'Again', maxTokens: 3 },
      'after-idle',
    );
    expect(answer.generatedTokens).toBeGreaterThan(0);
    // The reload reported its progress to the message's own call.
    const progress = events.filter(
      (e) =>
        e.event === 'models.loadProgress' && (e.payload as { requestId: string }).requestId === 'after-idle',
    );
    expect(progress.at(-1)?.payload).toMatchObject({ modelId: 'tiny.gguf', progress: 1 });
    // The conversation continued: the reloaded model read the first turn too, so it evaluated
    // more than the same message does as the first turn of a new conversation on a fresh engine.
    const fresh = await open();
    await fresh.call('models.load', { modelId: 'tiny.gguf' });
    const baseline = await fresh.call('chat.send', { conversationId: 'new', text: 'Again', maxTokens: 3 });
    expect(answer.evaluatedPromptTokens).toBeGreaterThan(baseline.evaluatedPromptTokens + 3);
  });

  it('answers two messages sent together right after the idle unload, with one reload', async () => {
    const api = await open({ idleMinuteMs: 100 });
    await api.call('settings.set', { idleUnloadMinutes: 1 });
    await api.call('models.load', { modelId: 'tiny.gguf' });
    await waitFor(async () => (await api.call('models.status', {})).state === 'none', 'the idle unload');
    const [first, second] = await Promise.all([
      api.call('chat.send', { conversationId: 'a', text: 'One', maxTokens: 2 }, 'first'),
      api.call('chat.send', { conversationId: 'b', text: 'Two', maxTokens: 2 }, 'second'),
    ]);
    expect(first.generatedTokens).toBeGreaterThan(0);
    expect(second.generatedTokens).toBeGreaterThan(0);
    // One reload, reported to the message that started it.
    const reloads = events.filter(
      (e) =>
        e.event === 'models.loadProgress' &&
        ['first', 'second'].includes((e.payload as { requestId: string }).requestId) &&
        (e.payload as { progress: number }).progress === 1,
    );
    expect(reloads).toHaveLength(1);
  });

  it('keeps the model loaded when the idle time is 0', async () => {
    const api = await open({ idleMinuteMs: 20 });
    await api.call('settings.set', { idleUnloadMinutes: 0 });
    await api.call('models.load', { modelId: 'tiny.gguf' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await api.call('models.status', {})).state).toBe('loaded');
  });
});

describe('import', () => {
  it('copies or links a GGUF after checking its header, and refuses duplicates and non-GGUF files', async () => {
    const api = await open();
    const outside = join(home, 'outside');
    await mkdir(outside);
    const source = await writeTestModel(join(outside, 'imported.gguf'), { seed: 11, name: 'Imported' });
    const entry = await api.call('models.import', { path: source, mode: 'copy' }, 'import-1');
    expect(entry).toMatchObject({ id: 'imported.gguf', verification: 'verified', name: 'Imported' });
    expect(entry.source).toBe(`import:${source}`);
    const stages = new Set(
      events
        .filter((e) => e.event === 'models.importProgress')
        .map((e) => (e.payload as { stage: string }).stage),
    );
    expect(stages).toEqual(new Set(['hashing', 'copying']));

    await copyFile(source, join(outside, 'same-bytes.gguf'));
    const duplicate = await api.fail('models.import', {
      path: join(outside, 'same-bytes.gguf'),
      mode: 'copy',
    });
    expect(duplicate).toMatchObject({ code: 'MODEL_DUPLICATE' });
    expect(duplicate.message).toMatch(/already installed as "imported.gguf"/);

    const fake = await writeNotAGguf(join(outside, 'renamed.gguf'));
    expect((await api.fail('models.import', { path: fake, mode: 'copy' })).code).toBe('MODEL_INVALID');
    expect(await readdir(modelsDir)).not.toContain('renamed.gguf');

    const linked = await writeTestModel(join(outside, 'linked.gguf'), { seed: 12 });
    expect(await api.call('models.import', { path: linked, mode: 'link' })).toMatchObject({
      id: 'linked.gguf',
      verification: 'verified',
    });
    expect((await lstat(join(modelsDir, 'linked.gguf'))).isSymbolicLink()).toBe(true);

    // A split model is imported whole, listed once, and deleted whole.
    const parts = buildSplitTestModel({ seed: 13 }, 2);
    await writeFile(join(outside, 'big-00001-of-00002.gguf'), parts[0] ?? Buffer.alloc(0));
    await writeFile(join(outside, 'big-00002-of-00002.gguf'), parts[1] ?? Buffer.alloc(0));
    const split = await api.call('models.import', {
      path: join(outside, 'big-00001-of-00002.gguf'),
      mode: 'copy',
    });
    expect(split).toMatchObject({ id: 'big-00001-of-00002.gguf', verification: 'verified' });
    expect(await readdir(modelsDir)).toContain('big-00002-of-00002.gguf');
    // Listed once, its size every part's; node-llama-cpp loads it from the first part and it answers.
    const listed = (await api.call('models.list', {})).filter((m) => m.id.startsWith('big-'));
    expect(listed.map((m) => [m.id, m.sizeBytes])).toEqual([
      ['big-00001-of-00002.gguf', (parts[0]?.length ?? 0) + (parts[1]?.length ?? 0)],
    ]);
    expect(await api.call('models.load', { modelId: 'big-00001-of-00002.gguf' })).toMatchObject({
      state: 'loaded',
    });
    await api.call('models.unload', {});
    // Verification re-hashes every part: a changed second part is found.
    const secondPart = join(modelsDir, 'big-00002-of-00002.gguf');
    const secondBytes = await readFile(secondPart);
    const altered = Buffer.from(secondBytes);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 0xff;
    await writeFile(secondPart, altered);
    expect((await api.fail('models.verify', { modelId: 'big-00001-of-00002.gguf' })).code).toBe(
      'MODEL_CHANGED',
    );
    await writeFile(secondPart, secondBytes);
    await api.call('models.verify', { modelId: 'big-00001-of-00002.gguf' });
    // A missing part is a plain problem on the one entry, not a failed list.
    await rename(secondPart, join(outside, 'moved-away.gguf'));
    const broken = (await api.call('models.list', {})).find((m) => m.id === 'big-00001-of-00002.gguf');
    expect(broken).toMatchObject({ usable: false, sizeBytes: parts[0]?.length });
    expect(broken?.problem).toMatch(/2 parts, but one is missing: part 2 \(big-00002-of-00002\.gguf\)/);
    expect((await api.fail('models.load', { modelId: 'big-00001-of-00002.gguf' })).code).toBe(
      'MODEL_INVALID',
    );
    await rename(join(outside, 'moved-away.gguf'), secondPart);
    await api.call('models.delete', { modelId: 'big-00001-of-00002.gguf' });
    expect((await readdir(modelsDir)).filter((name) => name.startsWith('big-'))).toEqual([]);
  });
});

describe('catalog downloads', () => {
  let server: DownloadServer;
  beforeEach(async () => {
    server = await startDownloadServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists a configured catalog, estimates fit from the remote header, downloads, verifies and installs', async () => {
    serveTinyCatalog(server);
    const api = await open({
      env: { HEARTH_CATALOG_URL: `${server.url}/catalog.json`, HEARTH_HF_BASE: server.url },
    });
    expect((await api.call('catalog.list', {})).map((e) => e.id)).toEqual(['tiny']);
    const fit = await api.call('catalog.fit', { entryId: 'tiny' });
    expect(['cpu', 'gpu-full']).toContain(fit.level);
    expect(server.requests.some((r) => r.range?.startsWith('bytes=0-'))).toBe(true);
    // Kept on disk: a restarted app does not read the header again.
    const headerReads = server.requests.length;
    const restarted = await open({
      env: { HEARTH_CATALOG_URL: `${server.url}/catalog.json`, HEARTH_HF_BASE: server.url },
    });
    expect(await restarted.call('catalog.fit', { entryId: 'tiny' })).toEqual(fit);
    expect(server.requests.length).toBe(headerReads + 1); // the catalog itself, nothing more

    const started = await api.call('downloads.start', { source: 'tiny' });
    const done = await waitFor(
      () =>
        broadcasts
          .filter((b) => b.event === 'downloads.changed')
          .map((b) => b.payload as DownloadInfo)
          .find((d) => d.id === started.id && (d.state === 'done' || d.state === 'failed')),
      'the download',
    );
    expect(done.state).toBe('done');
    const installed = (await api.call('models.list', {})).find((m) => m.id === 'tiny-F32.gguf');
    expect(installed).toMatchObject({
      source: 'tiny',
      license: 'mit',
      verification: 'verified',
      sha256: server.sha256('hearth/tiny-GGUF/tiny-F32.gguf'),
    });
    expect(await api.call('models.load', { modelId: 'tiny-F32.gguf' })).toMatchObject({ state: 'loaded' });
    expect((await api.fail('downloads.start', { source: 'nope' })).code).toBe('CATALOG_ENTRY_NOT_FOUND');
    expect((await api.call('downloads.clear', {})).length).toBe(0);
  });

  it('downloads every part of a split catalog model (the catalog may name only the first part) and loads it', async () => {
    const parts = buildSplitTestModel({ seed: 21 }, 3);
    parts.forEach((bytes, index) =>
      server.serve(`hearth/split-GGUF/split-F32-0000${index + 1}-of-00003.gguf`, { bytes }),
    );
    server.serveJson('/catalog.json', {
      version: 1,
      entries: [
        {
          ...TINY_CATALOG_ENTRY,
          id: 'split',
          repo: 'hearth/split-GGUF',
          quantizations: [{ name: 'F32', files: ['split-F32-00001-of-00003.gguf'] }],
        },
      ],
    });
    const api = await open({
      env: { HEARTH_CATALOG_URL: `${server.url}/catalog.json`, HEARTH_HF_BASE: server.url },
    });
    const started = await api.call('downloads.start', { source: 'split' });
    const done = await waitFor(
      () =>
        broadcasts
          .filter((b) => b.event === 'downloads.changed')
          .map((b) => b.payload as DownloadInfo)
          .find((d) => d.id === started.id && (d.state === 'done' || d.state === 'failed')),
      'the split download',
    );
    const total = parts.reduce((sum, bytes) => sum + bytes.length, 0);
    expect(done).toMatchObject({ state: 'done', totalBytes: total });
    expect((await readdir(modelsDir)).filter((name) => name.startsWith('split-')).sort()).toEqual([
      'split-F32-00001-of-00003.gguf',
      'split-F32-00002-of-00003.gguf',
      'split-F32-00003-of-00003.gguf',
    ]);
    const listed = (await api.call('models.list', {})).filter((m) => m.id.startsWith('split-'));
    expect(listed).toMatchObject([
      { id: 'split-F32-00001-of-00003.gguf', sizeBytes: total, usable: true, verification: 'verified' },
    ]);
    expect(await api.call('models.load', { modelId: 'split-F32-00001-of-00003.gguf' })).toMatchObject({
      state: 'loaded',
    });
  });
});
