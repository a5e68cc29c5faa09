/**
 * First-run setup through the engine's contract handlers: recommendations from a catalog served on
 * 127.0.0.1 and the real fit estimator, other apps' model folders built as fake layouts (real GGUF
 * files, Ollama's real manifest shape), import by reference, and setup remembered across restarts.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildSplitTestModel,
  serveSetupCatalog,
  startDownloadServer,
  writeNotAGguf,
  writeTestModel,
  type DownloadServer,
} from '../../../test/support/index.js';
import type { HardwareInfo, MethodName, Params, Result } from '../../common/api/contract.js';
import { Dispatcher } from '../../common/api/dispatch.js';
import type { SerializedError } from '../../common/api/errors.js';
import { createTestNetwork } from '../privacy/testing.js';
import { createEngine, type Engine, type EngineOptions } from '../Engine.js';
import { createLlamaRuntime } from '../inference/runtime.js';
import { modelFolderCandidates } from './modelFolders.js';

const GB = 1e9;
const cpuMachine: HardwareInfo = {
  totalRamBytes: 16 * GB,
  freeRamBytes: 8 * GB,
  gpu: false,
  gpuNames: [],
  totalVramBytes: 0,
  freeVramBytes: 0,
  cpuCores: 8,
};

let llama: Llama;
let server: DownloadServer;
let catalogUrl: string;
let dir: string;
let engines: Engine[];

beforeAll(async () => {
  llama = await createLlamaRuntime();
  server = await startDownloadServer();
  catalogUrl = serveSetupCatalog(server);
});
afterAll(async () => {
  await server.close();
  await llama.dispose();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-setup-'));
  engines = [];
});
afterEach(async () => {
  for (const engine of engines) await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface Api {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  fail<M extends MethodName>(method: M, params: Params<M>): Promise<SerializedError>;
}

/** The engine on <dir>/data, with its "user home" for detection at <dir>/home (a Linux machine). */
async function open(options: Partial<EngineOptions> = {}): Promise<Api> {
  const engine = await createEngine({
    home: join(dir, 'data'),
    version: '1.2.0',
    llama,
    threads: 1,
    env: {},
    network: (await createTestNetwork(join(dir, 'test-network'))).network,
    catalogSource: catalogUrl,
    hfBase: server.url,
    hardware: async () => cpuMachine,
    setup: {
      modelFolders: () => modelFolderCandidates({ home: join(dir, 'home'), platform: 'linux', env: {} }),
    },
    ...options,
  });
  engines.push(engine);
  const dispatcher = new Dispatcher(engine.handlers, () => undefined);
  let count = 0;
  const run = (method: MethodName, params: unknown) => dispatcher.call(method, params, `r${++count}`);
  return {
    async call(method, params) {
      const outcome = await run(method, params);
      if (!outcome.ok) throw new Error(`${method} failed: ${outcome.error.code} ${outcome.error.message}`);
      return outcome.result as never;
    },
    async fail(method, params) {
      const outcome = await run(method, params);
      if (outcome.ok) throw new Error(`${method} succeeded`);
      return outcome.error;
    },
  };
}

describe('setup status', () => {
  it('starts not done, is remembered once finished or skipped, and "run setup again" resets it', async () => {
    let api = await open();
    expect(await api.call('setup.status', {})).toEqual({ done: false });
    const done = await api.call('setup.complete', { skipped: true });
    expect(done).toMatchObject({ done: true, skipped: true, completedAt: expect.any(String) });
    await engines.pop()?.dispose();

    api = await open();
    expect(await api.call('setup.status', {})).toMatchObject({ done: true, skipped: true });
    expect(await api.call('setup.reset', {})).toEqual({ done: false });
    await engines.pop()?.dispose();
    api = await open();
    expect(await api.call('setup.status', {})).toEqual({ done: false });
  });
});

describe('recommendations', () => {
  it('picks the chat and embedding models that fit, from the catalog and the fit estimator', async () => {
    const api = await open();
    const before = server.requests.length;
    const result = await api.call('setup.recommend', {});
    expect(result.hardware).toEqual(cpuMachine);
    // The 70B entry is ruled out by its size; the tiny model's header was read to confirm the fit.
    expect(result.chat).toMatchObject({
      entryId: 'tiny',
      kind: 'chat',
      license: 'mit',
      installed: false,
      fit: { level: 'cpu' },
      reason: expect.stringMatching(/processor \(8 cores; no supported GPU was found\)/),
    });
    expect(result.embedding).toMatchObject({
      entryId: 'tiny-embed',
      kind: 'embedding',
      license: 'apache-2.0',
      reason: expect.stringMatching(/default embedding model/),
    });
    expect(result.note).toBeUndefined();
    const read = server.requests.slice(before).map((request) => request.path);
    expect(read.some((path) => path.includes('tiny-F32.gguf'))).toBe(true);
    expect(read.some((path) => path.includes('huge'))).toBe(false);
  });

  it('says when it could only estimate (the files could not be read), and marks what is installed', async () => {
    const api = await open({ hfBase: 'http://127.0.0.1:9' });
    const result = await api.call('setup.recommend', {});
    expect(result.chat?.entryId).toBe('tiny');
    expect(result.chat?.fit).toBeUndefined();
    expect(result.note).toMatch(/estimates/);
  });
});

/** Writes a real GGUF (or other bytes) at a path, creating its folders. */
async function place(path: string, bytes?: Buffer): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  if (bytes) await writeFile(path, bytes);
  else await writeTestModel(path, { seed: path.length });
}

/** An Ollama store: the model blob named by its digest and a manifest naming it, as Ollama writes them. */
async function placeOllamaModel(models: string, name: string, tag: string, seed: number): Promise<string> {
  const blobDir = join(models, 'blobs');
  const temporary = join(dir, `ollama-${seed}.gguf`);
  await writeTestModel(temporary, { seed });
  const bytes = await readFile(temporary);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const blob = join(blobDir, `sha256-${digest}`);
  await place(blob, bytes);
  const template = Buffer.from('{{ .Prompt }}');
  const templateDigest = createHash('sha256').update(template).digest('hex');
  await place(join(blobDir, `sha256-${templateDigest}`), template);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      digest: `sha256:${'0'.repeat(64)}`,
      size: 485,
    },
    layers: [
      { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${digest}`, size: bytes.length },
      { mediaType: 'application/vnd.ollama.image.template', digest: `sha256:${templateDigest}`, size: 13 },
    ],
  };
  await place(
    join(models, 'manifests', 'registry.ollama.ai', 'library', name, tag),
    Buffer.from(JSON.stringify(manifest)),
  );
  return blob;
}

describe("other apps' model folders", () => {
  it('finds LM Studio, Jan, GPT4All and Ollama models, and nothing that is not a GGUF', async () => {
    const home = join(dir, 'home');
    await place(
      join(home, '.lmstudio', 'models', 'lmstudio-community', 'Qwen3-4B-GGUF', 'Qwen3-4B-Q4_K_M.gguf'),
    );
    await writeNotAGguf(join(home, '.lmstudio', 'models', 'notes.gguf'));
    const [first, second] = buildSplitTestModel({ seed: 4 });
    await place(join(home, '.cache', 'lm-studio', 'models', 'big', 'big-00001-of-00002.gguf'), first);
    await place(join(home, '.cache', 'lm-studio', 'models', 'big', 'big-00002-of-00002.gguf'), second);
    await place(join(home, 'jan', 'models', 'llama3.2-1b', 'model.gguf'));
    await place(join(home, '.local', 'share', 'nomic.ai', 'GPT4All', 'Phi-3-mini-4k-instruct.Q4_0.gguf'));
    const blob = await placeOllamaModel(join(home, '.ollama', 'models'), 'llama3.2', 'latest', 21);

    const api = await open();
    const folders = await api.call('setup.detect', {});
    expect(folders.map((folder) => [folder.app, folder.folder.slice(home.length)])).toEqual([
      ['LM Studio', '/.lmstudio/models'],
      ['LM Studio', '/.cache/lm-studio/models'],
      ['Jan', '/jan/models'],
      ['GPT4All', '/.local/share/nomic.ai/GPT4All'],
      ['Ollama', '/.ollama/models'],
    ]);
    expect(folders[0]?.models.map((model) => model.name)).toEqual(['Qwen3-4B-Q4_K_M.gguf']);
    expect(folders[1]?.models.map((model) => model.name)).toEqual(['big-00001-of-00002.gguf']);
    const ollama = folders[4]?.models[0];
    expect(ollama).toMatchObject({ path: blob, name: 'llama3.2:latest', importName: 'llama3.2-latest.gguf' });
    expect(ollama?.sizeBytes).toBeGreaterThan(1000);
    expect(folders.flatMap((folder) => folder.models).every((model) => !model.imported)).toBe(true);
  });

  it('imports an Ollama blob by reference under its name, and then shows it as imported', async () => {
    const blob = await placeOllamaModel(join(dir, 'home', '.ollama', 'models'), 'qwen3', '4b', 22);
    const api = await open();
    const [folder] = await api.call('setup.detect', {});
    const found = folder?.models[0];
    expect(found?.importName).toBe('qwen3-4b.gguf');
    const entry = await api.call('models.import', { path: blob, mode: 'link', name: found?.importName });
    expect(entry).toMatchObject({ id: 'qwen3-4b.gguf', usable: true, source: `link:${blob}` });
    expect((await api.call('models.list', {})).map((model) => model.id)).toContain('qwen3-4b.gguf');
    const [again] = await api.call('setup.detect', {});
    expect(again?.models[0]?.imported).toBe(true);
    // By reference: the blob is where it was, the models folder holds a link to it.
    expect((await readFile(blob)).subarray(0, 4).toString()).toBe('GGUF');
  });

  it('looks in each OS’s own places', () => {
    const folders = (platform: NodeJS.Platform, env: Record<string, string> = {}) =>
      modelFolderCandidates({ home: '/u', platform, env }).map((item) => `${item.app}: ${item.folder}`);
    expect(folders('darwin')).toContain('GPT4All: /u/Library/Application Support/nomic.ai/GPT4All');
    expect(folders('darwin')).toContain('Jan: /u/Library/Application Support/Jan/data/models');
    expect(folders('linux')).toContain('Ollama: /usr/share/ollama/.ollama/models');
    expect(folders('linux', { OLLAMA_MODELS: '/srv/ollama' })[6]).toBe('Ollama: /srv/ollama');
    expect(folders('win32', { LOCALAPPDATA: 'C:/Users/u/AppData/Local' })).toContain(
      `GPT4All: ${join('C:/Users/u/AppData/Local', 'nomic.ai', 'GPT4All')}`,
    );
    expect(folders('win32')).toContain(`LM Studio: ${join('/u', '.lmstudio', 'models')}`);
  });
});
