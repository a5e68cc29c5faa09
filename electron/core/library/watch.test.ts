// Watch folders: an edited file is re-indexed (only it), a deleted one leaves the index, a new one is added.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestItem } from '../../common/api/contract.js';
import { sentence } from '../../../test/support/index.js';
import { openHarness, type LibraryHarness } from './testing.js';

let harness: LibraryHarness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-watch-'));
  await writeFile(join(dir, 'a.txt'), sentence('apricot'));
  await writeFile(join(dir, 'b.txt'), sentence('blueberry'));
  harness = await openHarness({ watchDebounceMs: 100 });
  await harness.call('library.add', { paths: [dir], collection: 'Watched', watch: true });
  await harness.call('library.waitIdle', {});
});

afterAll(async () => {
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Resolves with the next finished item for `path`. */
function nextFinished(path: string): Promise<IngestItem> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event for ${path}`)), 15_000);
    const stop = harness.engine.onEvent((event, payload) => {
      if (event !== 'library.progress' || payload.item.path !== path) return;
      if (['ready', 'skipped', 'failed'].includes(payload.item.state)) {
        clearTimeout(timer);
        stop();
        resolve(payload.item);
      }
    });
  });
}

function nextRemoval(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no removal')), 15_000);
    const stop = harness.engine.onEvent((event, payload) => {
      if (event === 'library.changed' && payload.reason === 'document-removed') {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  });
}

const words = async (word: string) =>
  (await harness.call('library.search', { query: word, mode: 'text', limit: 5 })).map((p) => p.documentName);

it('lists the watched folder', async () => {
  const status = await harness.call('library.status', {});
  expect(status.watchedFolders).toEqual([{ path: dir, collectionId: expect.any(String) }]);
});

it('re-indexes an edited file, and only that file', async () => {
  const indexedBefore = (await harness.call('library.documents', {})).find(
    (d) => d.name === 'b.txt',
  )?.indexedAt;
  const done = nextFinished(join(dir, 'a.txt'));
  await writeFile(join(dir, 'a.txt'), sentence('avocado'));
  expect(await done).toMatchObject({ state: 'ready' });
  expect(await words('avocado')).toEqual(['a.txt']);
  expect(await words('apricot')).toEqual([]);
  const indexedAfter = (await harness.call('library.documents', {})).find(
    (d) => d.name === 'b.txt',
  )?.indexedAt;
  expect(indexedAfter).toBe(indexedBefore);
});

it('removes a deleted file from the index', async () => {
  const removed = nextRemoval();
  await rm(join(dir, 'b.txt'));
  await removed;
  expect(await words('blueberry')).toEqual([]);
  expect((await harness.call('library.documents', {})).map((d) => d.name)).toEqual(['a.txt']);
});

it('adds a new file', async () => {
  const done = nextFinished(join(dir, 'c.txt'));
  await writeFile(join(dir, 'c.txt'), sentence('cranberry'));
  expect(await done).toMatchObject({ state: 'ready' });
  expect(await words('cranberry')).toEqual(['c.txt']);
});

it('stops watching on unwatch', async () => {
  expect(await harness.call('library.unwatch', { path: dir })).toEqual({ removed: true });
  expect((await harness.call('library.status', {})).watchedFolders).toEqual([]);
});
