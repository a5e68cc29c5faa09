// The library's embedding model setting, through the contract on a real engine: what decides the
// model, changing it re-embeds every document (no vectors of two models in one table), and the
// choice survives a restart.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName, Params, Result } from '../../../common/api/contract.js';
import { Dispatcher } from '../../../common/api/dispatch.js';
import { RemoteError } from '../../../common/api/errors.js';
import { ensureTestModel } from '../../../../test/support/index.js';
import { createEngine, type Engine } from '../../Engine.js';
import { loadCatalog } from '../../models/catalog/catalog.js';
import { chooseEmbedModel, LibraryEmbedders } from './LibraryEmbedders.js';

describe('chooseEmbedModel', () => {
  it('takes the strongest source that names a model', () => {
    const all = { option: 'o', environment: 'e', setting: 's', catalogDefault: 'c', detected: 'd' };
    expect(chooseEmbedModel(all)).toEqual({ value: 'o', origin: 'option' });
    expect(chooseEmbedModel({ ...all, option: undefined })?.origin).toBe('environment');
    expect(chooseEmbedModel({ ...all, option: ' ', environment: '' })?.origin).toBe('setting');
    expect(chooseEmbedModel({ setting: null, catalogDefault: 'c', detected: 'd' })?.origin).toBe(
      'catalog-default',
    );
    expect(chooseEmbedModel({ setting: null, detected: 'd' })?.origin).toBe('detected');
    expect(chooseEmbedModel({ setting: null })).toBeUndefined();
  });
});

describe('the catalog default', () => {
  it('is chosen when installed (a catalog download), before a file that is merely named like an embedder', async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'hearth-embedder-catalog-'));
    try {
      await writeFile(join(modelsDir, 'bge-small-en.gguf'), 'x');
      await writeFile(join(modelsDir, 'Qwen3-Embedding-0.6B-Q8_0.gguf'), 'x');
      // The bundled catalog only: no network at all.
      const bundled = await loadCatalog({
        network: { request: () => Promise.reject(new Error('no network here')) },
      });
      const defaultId = bundled.find((e) => e.kind === 'embedding' && e.isDefault)!.id;
      const embedders = new LibraryEmbedders({
        modelsDir,
        libraryDir: join(modelsDir, 'library'),
        catalog: async () => bundled,
        sourceOf: (modelId) => (modelId.startsWith('Qwen3') ? defaultId : undefined),
        runtime: () => Promise.reject(new Error('not loaded here')),
      });
      const candidates = await embedders.candidates();
      expect(candidates.find((c) => c.catalogDefault)?.modelId).toBe('Qwen3-Embedding-0.6B-Q8_0.gguf');
      expect(await embedders.resolve()).toEqual({
        path: join(modelsDir, 'Qwen3-Embedding-0.6B-Q8_0.gguf'),
        origin: 'catalog-default',
      });
    } finally {
      await rm(modelsDir, { recursive: true, force: true });
    }
  });
});

describe('the library embedding model setting', () => {
  let home: string | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function start(at: string) {
    engine = await createEngine({
      home: at,
      version: '0.0.0-test',
      threads: 1,
      // No HEARTH_EMBED_MODEL: the setting and the models folder decide.
      env: { HEARTH_PARSE_WORKER: process.env.HEARTH_PARSE_WORKER },
    });
    const dispatcher = new Dispatcher(engine.handlers, () => undefined);
    let counter = 0;
    return async <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => {
      const outcome = await dispatcher.call(method, params, `t${++counter}`);
      if (!outcome.ok) throw new RemoteError(outcome.error);
      return outcome.result as Result<M>;
    };
  }

  it('uses a models-folder embedding model by default, re-embeds on a change, and keeps the choice', async () => {
    home = await mkdtemp(join(tmpdir(), 'hearth-embedder-'));
    await mkdir(join(home, 'models'), { recursive: true });
    await copyFile(
      await ensureTestModel({ seed: 11, name: 'Embed A' }),
      join(home, 'models', 'embed-a.gguf'),
    );
    await copyFile(
      await ensureTestModel({ seed: 12, name: 'Embed B' }),
      join(home, 'models', 'embed-b.gguf'),
    );
    const notes = join(home, 'notes.txt');
    await writeFile(notes, 'The walrus sleeps on the ice floe.\n\nThe narwhal hunts under the ice.\n');
    let call = await start(home);

    const initial = await call('library.embedder.get', {});
    expect(initial.setting).toBeNull();
    expect(initial.current).toMatchObject({ name: 'embed-a', origin: 'detected' });
    expect(initial.candidates.map((c) => c.modelId)).toEqual(['embed-a.gguf', 'embed-b.gguf']);
    expect(initial.overriddenBy).toBeNull();

    await call('library.add', { paths: [notes] });
    const added = await call('library.waitIdle', {});
    expect(added.embeddingModel?.name).toBe('embed-a.gguf');
    const [document] = await call('library.documents', {});
    expect(document?.chunkCount).toBeGreaterThan(0);

    await expect(call('library.embedder.set', { modelId: 'missing.gguf' })).rejects.toThrow(/No model/);
    const changed = await call('library.embedder.set', { modelId: 'embed-b.gguf' });
    expect(changed.setting).toBe('embed-b.gguf');
    expect(changed.current).toMatchObject({ name: 'embed-b', origin: 'setting' });
    const reindexed = await call('library.waitIdle', {});
    expect(reindexed.embeddingModel?.name).toBe('embed-b.gguf');
    // Re-embedded, not added twice: the same chunks, all from the new model.
    const documents = await call('library.documents', {});
    expect(documents).toHaveLength(1);
    const [after] = documents;
    expect(after?.chunkCount).toBe(document?.chunkCount);
    const meta = JSON.parse(await readFile(join(home, 'library', 'index.json'), 'utf8')) as {
      embedding: { name: string };
    };
    expect(meta.embedding.name).toBe('embed-b.gguf');
    const [hit] = await call('library.search', { query: 'walrus', mode: 'text' });
    expect(hit?.text).toContain('walrus');

    // The choice is kept across a restart.
    await engine!.dispose();
    engine = undefined;
    call = await start(home);
    expect((await call('library.embedder.get', {})).current).toMatchObject({
      name: 'embed-b',
      origin: 'setting',
    });
    // Back to the default.
    expect((await call('library.embedder.set', {})).current?.origin).toBe('detected');
  });
});
