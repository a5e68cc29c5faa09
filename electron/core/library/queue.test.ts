// The ingestion queue's controls and collections, through the contract, on the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestModel, sentence } from '../../../test/support/index.js';
import { openHarness, type LibraryHarness } from './testing.js';

let harness: LibraryHarness;
let dir: string;
/** Kept across engines: the embedding-model test reopens the same data folder. */
let home: string;
const files: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-queue-'));
  for (const word of ['alpha', 'bravo', 'charlie', 'delta']) {
    const path = join(dir, `${word}.txt`);
    await writeFile(path, sentence(word));
    files.push(path);
  }
  home = await mkdtemp(join(tmpdir(), 'hearth-queue-home-'));
  harness = await openHarness({}, home);
});

afterAll(async () => {
  await harness?.close();
  await rm(home, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

describe('pause, resume, cancel', () => {
  it('holds queued files while paused and finishes them on resume', async () => {
    expect((await harness.call('library.pause', {})).overall.paused).toBe(true);
    await harness.call('library.add', { paths: files.slice(0, 2), collection: 'Queue' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const paused = await harness.call('library.status', {});
    expect(paused.items.map((i) => i.state)).toEqual(['queued', 'queued']);
    expect(paused.overall).toMatchObject({ paused: true, total: 2, queued: 2, ready: 0 });
    await harness.call('library.resume', {});
    const done = await harness.call('library.waitIdle', {});
    expect(done.items.map((i) => i.state)).toEqual(['ready', 'ready']);
    expect(done.overall).toMatchObject({ paused: false, ready: 2, progress: 1 });
  });

  it('cancels queued files, which are skipped as cancelled', async () => {
    await harness.call('library.pause', {});
    const { queued } = await harness.call('library.add', { paths: files.slice(2), collection: 'Queue' });
    const one = await harness.call('library.cancel', { itemId: queued[0]!.id });
    expect(one.items.find((i) => i.id === queued[0]!.id)).toMatchObject({
      state: 'skipped',
      reason: 'cancelled',
    });
    const all = await harness.call('library.cancel', {});
    expect(all.items.every((i) => i.state !== 'queued')).toBe(true);
    await harness.call('library.resume', {});
    await harness.call('library.waitIdle', {});
    expect(await harness.call('library.search', { query: 'charlie', mode: 'text' })).toEqual([]);
  });

  it('clears finished files from the status', async () => {
    expect((await harness.call('library.clearFinished', {})).items).toEqual([]);
  });

  it('refuses paths that hold no files', async () => {
    await expect(harness.call('library.add', { paths: [join(dir, 'missing')] })).resolves.toMatchObject({
      queued: [expect.objectContaining({ state: 'failed', reason: expect.stringMatching(/not found/) })],
    });
  });
});

describe('a file that changes while it is being read', () => {
  it('is retried, then fails with that reason; once still, it indexes', async () => {
    const path = join(dir, 'growing.log');
    await writeFile(path, sentence('echo'));
    const writer = setInterval(() => void appendFile(path, 'more log text\n'), 1);
    try {
      const { queued } = await harness.call('library.add', { paths: [path], collection: 'Queue' });
      const status = await harness.call('library.waitIdle', {});
      expect(status.items.find((i) => i.id === queued[0]!.id)).toMatchObject({
        state: 'failed',
        reason: 'the file kept changing while being read',
      });
    } finally {
      clearInterval(writer);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    await harness.call('library.add', { paths: [path], collection: 'Queue' });
    expect((await harness.call('library.waitIdle', {})).items.at(-1)).toMatchObject({ state: 'ready' });
  });
});

describe('collections', () => {
  it('creates, lists with counts, renames and deletes with their documents', async () => {
    const created = await harness.call('collections.create', { name: 'Papers' });
    expect(created).toMatchObject({ name: 'Papers', documentCount: 0 });
    await expect(harness.call('collections.create', { name: 'papers' })).rejects.toMatchObject({
      code: 'COLLECTION_EXISTS',
    });
    await harness.call('library.add', { paths: [files[3]!], collection: created.id });
    await harness.call('library.waitIdle', {});
    const listed = await harness.call('collections.list', {});
    expect(listed.find((c) => c.id === created.id)?.documentCount).toBe(1);
    expect(listed.find((c) => c.name === 'Queue')?.documentCount).toBe(3);

    const renamed = await harness.call('collections.rename', { collectionId: created.id, name: 'Articles' });
    expect(renamed).toMatchObject({ id: created.id, name: 'Articles', documentCount: 1 });
    expect((await harness.call('library.documents', { collection: 'Articles' })).map((d) => d.name)).toEqual([
      'delta.txt',
    ]);

    expect(await harness.call('collections.delete', { collectionId: created.id })).toEqual({ removed: true });
    expect(await harness.call('library.search', { query: 'delta', mode: 'text' })).toEqual([]);
    expect((await harness.call('collections.list', {})).map((c) => c.name)).not.toContain('Articles');
    await expect(harness.call('library.documents', { collection: 'Articles' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the embedding model', () => {
  it('records which model built the index', async () => {
    const status = await harness.call('library.status', {});
    expect(status.embeddingModel).toMatchObject({ dimension: 64, name: expect.stringMatching(/\.gguf$/) });
  });

  it('re-embeds everything when the model changes, never mixing vectors', async () => {
    const before = (await harness.call('library.status', {})).embeddingModel!;
    const documents = await harness.call('library.documents', {});
    await harness.close();
    const other = await ensureTestModel({ seed: 2 });
    harness = await openHarness({ embedModel: other }, home);
    {
      const status = await harness.call('library.waitIdle', {});
      expect(status.embeddingModel?.fingerprint).not.toBe(before.fingerprint);
      expect(status.items.map((i) => i.state).sort()).toEqual(documents.map(() => 'ready'));
      expect((await harness.call('library.documents', {})).map((d) => d.name).sort()).toEqual(
        documents.map((d) => d.name).sort(),
      );
      // Vectors from the new model: a passage's own text finds it exactly again.
      const [top] = await harness.call('library.search', {
        query: sentence('alpha'),
        mode: 'vector',
        limit: 1,
      });
      expect(top?.documentName).toBe('alpha.txt');
      expect(top?.score).toBeCloseTo(1, 3);
    }
  });
});
