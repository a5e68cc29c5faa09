import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureTestModel,
  writeNotAGguf,
  writeTestModel,
  writeTruncatedCopy,
} from '../../../test/support/index.js';
import type { ModelStatus } from '../../common/api/contract.js';
import {
  CancelledError,
  ModelBusyError,
  ModelInvalidError,
  ModelNotFoundError,
  ModelTooLargeError,
} from '../errors/index.js';
import { ModelHost, type LoadedModel, type ModelHostOptions } from './ModelHost.js';
import { createLlamaRuntime } from './runtime.js';

let llama: Llama;
let dir: string;
let good: string;
let small: string;
const hosts: ModelHost[] = [];

beforeAll(async () => {
  llama = await createLlamaRuntime();
  dir = await mkdtemp(join(tmpdir(), 'hearth-host-'));
  good = join(dir, 'good.gguf');
  await copyFile(await ensureTestModel(), good);
  small = await writeTestModel(join(dir, 'small.gguf'), { seed: 2, contextLength: 2048 });
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.dispose()));
});
afterAll(async () => {
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
});

function makeHost(options: Partial<ModelHostOptions> = {}): { host: ModelHost; statuses: ModelStatus[] } {
  const statuses: ModelStatus[] = [];
  const host = new ModelHost({
    runtime: async () => llama,
    threads: 1,
    onStatus: (status) => statuses.push(status),
    ...options,
  });
  hosts.push(host);
  return { host, statuses };
}

describe('ModelHost', () => {
  it('loads a model with progress and sizes its context from the model', async () => {
    const { host, statuses } = makeHost();
    const progress: number[] = [];
    const status = await host.load({
      id: 'good.gguf',
      path: good,
      onProgress: (value) => progress.push(value),
    });

    expect(status).toEqual({
      state: 'loaded',
      modelId: 'good.gguf',
      contextSize: 4096,
      backend: llama.gpu === false ? 'cpu' : llama.gpu,
      threads: 1,
    });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(statuses.map((s) => s.state)).toEqual(['loading', 'loaded']);
    expect(host.loaded?.context.contextSize).toBe(4096);
    expect(host.loaded?.estimatedBytes).toBeGreaterThan(0);
    expect(progress.filter((value) => value === 1)).toHaveLength(1);

    // Loading the model that is already loaded keeps it.
    const loaded = host.loaded;
    expect(await host.load({ id: 'good.gguf', path: good })).toEqual(status);
    expect(host.loaded).toBe(loaded);
    expect(statuses).toHaveLength(2);
  });

  it('never goes below a 2048-token context, and picks threads itself when not told', async () => {
    const { host } = makeHost({ threads: undefined });
    const status = await host.load({ id: 'small', path: small });
    expect(status.contextSize).toBe(2048);
    // A tiny model runs on one thread.
    expect(status.threads).toBe(1);
  });

  it('refuses a second load while one is loading', async () => {
    const { host } = makeHost();
    const first = host.load({ id: 'good.gguf', path: good });
    await expect(host.load({ id: 'small', path: small })).rejects.toBeInstanceOf(ModelBusyError);
    await expect(host.load({ id: 'small', path: small })).rejects.toThrow(/"good.gguf" is still loading/);
    expect((await first).state).toBe('loaded');
    expect(host.status().modelId).toBe('good.gguf');
  });

  it('rejects missing, invalid and truncated files with typed errors and keeps the loaded model', async () => {
    const { host } = makeHost();
    await host.load({ id: 'good.gguf', path: good });
    const notGguf = await writeNotAGguf(join(dir, 'notes.gguf'));
    const truncated = await writeTruncatedCopy(good, join(dir, 'half.gguf'));
    await expect(host.load({ id: 'x', path: join(dir, 'missing.gguf') })).rejects.toBeInstanceOf(
      ModelNotFoundError,
    );
    await expect(host.load({ id: 'x', path: notGguf })).rejects.toBeInstanceOf(ModelInvalidError);
    await expect(host.load({ id: 'x', path: truncated })).rejects.toThrow(/incomplete/);
    expect(host.status()).toMatchObject({ state: 'loaded', modelId: 'good.gguf' });
  });

  it('refuses a model that does not fit, before loading it, with the numbers', async () => {
    const { host } = makeHost({ memoryProbe: async () => ({ freeBytes: 1_000_000, totalBytes: 2_000_000 }) });
    const error = await host.load({ id: 'good.gguf', path: good }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelTooLargeError);
    const tooLarge = error as ModelTooLargeError;
    expect(tooLarge.message).toMatch(/needs about \d+ MB of memory, you have 1 MB available/);
    expect(tooLarge.neededBytes).toBeGreaterThan(2 * 1_000_000);
    expect(tooLarge.availableBytes).toBe(1_000_000);
    expect(host.status()).toEqual({ state: 'none', modelId: null });
  });

  it('shrinks the context to fit memory before giving up', async () => {
    const probeBytes = { freeBytes: Number.MAX_SAFE_INTEGER, totalBytes: Number.MAX_SAFE_INTEGER };
    const { host: roomy } = makeHost({ memoryProbe: async () => probeBytes });
    await roomy.load({ id: 'good.gguf', path: good });
    const needAt4096 = roomy.loaded?.estimatedBytes ?? 0;
    await roomy.unload();

    const { host } = makeHost({
      memoryProbe: async () => ({ freeBytes: needAt4096 - 1, totalBytes: needAt4096 }),
    });
    expect((await host.load({ id: 'good.gguf', path: good })).contextSize).toBe(2048);
  });

  it('stops a load when its signal aborts', async () => {
    const { host } = makeHost();
    const before = new AbortController();
    before.abort();
    await expect(host.load({ id: 'good.gguf', path: good, signal: before.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    const during = new AbortController();
    const load = host.load({
      id: 'good.gguf',
      path: good,
      signal: during.signal,
      onProgress: () => during.abort(),
    });
    await expect(load).rejects.toBeInstanceOf(CancelledError);
    expect(host.status()).toEqual({ state: 'none', modelId: null });
    // The host is usable again afterwards.
    expect((await host.load({ id: 'good.gguf', path: good })).state).toBe('loaded');
  });

  it('unloads, disposing model and context, and replaces one model by another', async () => {
    const unloaded: LoadedModel[] = [];
    const { host, statuses } = makeHost({
      beforeUnload: async (loaded) => {
        unloaded.push(loaded);
      },
    });
    await host.load({ id: 'good.gguf', path: good });
    const first = host.loaded;
    await host.load({ id: 'small', path: small });
    expect(unloaded).toEqual([first]);
    expect(first?.model.disposed).toBe(true);
    expect(first?.context.disposed).toBe(true);

    const second = host.loaded;
    expect(await host.unload()).toEqual({ state: 'none', modelId: null });
    expect(second?.model.disposed).toBe(true);
    expect(host.loaded).toBeNull();
    expect(statuses.map((s) => s.state)).toEqual(['loading', 'loaded', 'loading', 'loaded', 'none']);
    expect(await host.unload()).toEqual({ state: 'none', modelId: null });
  });

  it('unload while loading cancels the load', async () => {
    const { host } = makeHost();
    const load = host.load({ id: 'good.gguf', path: good });
    const unload = host.unload();
    await expect(load).rejects.toBeInstanceOf(CancelledError);
    expect(await unload).toEqual({ state: 'none', modelId: null });
  });
});
