// Watch folders: an edited file is re-indexed (only it), a deleted one leaves the index, a new one is added;
// each folder's state (syncing, synced since when, error) comes from the core; watches survive a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestItem, WatchedFolder } from '../../common/api/contract.js';
import { sentence } from '../../../test/support/index.js';
import { openHarness, type LibraryHarness } from './testing.js';

/** Resolves with the next finished item for `path`. */
function nextFinished(harness: LibraryHarness, path: string): Promise<IngestItem> {
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

function nextRemoval(harness: LibraryHarness): Promise<void> {
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

/** Resolves with the first `library.watch` broadcast for `folder` that matches. */
function nextWatch(
  harness: LibraryHarness,
  folder: string,
  matches: (state: WatchedFolder) => boolean,
): Promise<WatchedFolder> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching watch state for ${folder}`)), 15_000);
    const stop = harness.engine.onEvent((event, payload) => {
      if (event === 'library.watch' && payload.path === folder && matches(payload)) {
        clearTimeout(timer);
        stop();
        resolve(payload);
      }
    });
  });
}

/** Every `library.watch` broadcast seen so far for `folder`. */
function watchEvents(harness: LibraryHarness, folder: string): WatchedFolder[] {
  return harness.events
    .filter((e) => e.event === 'library.watch' && (e.payload as WatchedFolder).path === folder)
    .map((e) => e.payload as WatchedFolder);
}

const search = async (harness: LibraryHarness, word: string) =>
  (await harness.call('library.search', { query: word, mode: 'text', limit: 5 })).map((p) => p.documentName);

describe('a watched folder while Hearth runs', () => {
  let harness: LibraryHarness;
  let dir: string;
  const words = (word: string) => search(harness, word);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-watch-'));
    await writeFile(join(dir, 'a.txt'), sentence('apricot'));
    await writeFile(join(dir, 'b.txt'), sentence('blueberry'));
    harness = await openHarness({ watchDebounceMs: 100 });
    const synced = nextWatch(harness, dir, (f) => f.state === 'synced');
    await harness.call('library.add', { paths: [dir], collection: 'Watched', watch: true });
    await harness.call('library.waitIdle', {});
    await synced;
  });

  afterAll(async () => {
    await harness?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the watched folder as up to date, with when it was last synced', async () => {
    const status = await harness.call('library.status', {});
    expect(status.watchedFolders).toEqual([
      {
        path: dir,
        collectionId: expect.any(String),
        state: 'synced',
        pending: 0,
        lastSyncedAt: expect.any(String),
      },
    ]);
    // While its two files were indexed, it said so.
    expect(watchEvents(harness, dir).some((f) => f.state === 'syncing' && f.pending > 0)).toBe(true);
  });

  it('re-indexes an edited file, and only that file, syncing then up to date again', async () => {
    const before = (await harness.call('library.status', {})).watchedFolders[0]!.lastSyncedAt!;
    const indexedBefore = (await harness.call('library.documents', {})).find(
      (d) => d.name === 'b.txt',
    )?.indexedAt;
    const syncing = nextWatch(harness, dir, (f) => f.state === 'syncing');
    const done = nextFinished(harness, join(dir, 'a.txt'));
    await writeFile(join(dir, 'a.txt'), sentence('avocado'));
    expect((await syncing).pending).toBeGreaterThanOrEqual(1);
    const synced = nextWatch(harness, dir, (f) => f.state === 'synced');
    expect(await done).toMatchObject({ state: 'ready' });
    expect(Date.parse((await synced).lastSyncedAt!)).toBeGreaterThan(Date.parse(before));
    expect(await words('avocado')).toEqual(['a.txt']);
    expect(await words('apricot')).toEqual([]);
    const indexedAfter = (await harness.call('library.documents', {})).find(
      (d) => d.name === 'b.txt',
    )?.indexedAt;
    expect(indexedAfter).toBe(indexedBefore);
  });

  it('removes a deleted file from the index', async () => {
    const removed = nextRemoval(harness);
    await rm(join(dir, 'b.txt'));
    await removed;
    expect(await words('blueberry')).toEqual([]);
    expect((await harness.call('library.documents', {})).map((d) => d.name)).toEqual(['a.txt']);
  });

  it('adds a new file', async () => {
    const done = nextFinished(harness, join(dir, 'c.txt'));
    await writeFile(join(dir, 'c.txt'), sentence('cranberry'));
    expect(await done).toMatchObject({ state: 'ready' });
    expect(await words('cranberry')).toEqual(['c.txt']);
  });

  it('stops watching on unwatch', async () => {
    expect(await harness.call('library.unwatch', { path: dir })).toEqual({ removed: true });
    expect((await harness.call('library.status', {})).watchedFolders).toEqual([]);
  });
});

describe('a watched folder that is removed', () => {
  let harness: LibraryHarness;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-watch-gone-'));
    await writeFile(join(dir, 'd.txt'), sentence('damson'));
    harness = await openHarness({ watchDebounceMs: 100, watchRetryMs: 200 });
    await harness.call('library.add', { paths: [dir], collection: 'Gone', watch: true });
    await harness.call('library.waitIdle', {});
  });

  afterAll(async () => {
    await harness?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows an error that says the folder is gone, and watches it again once it is back', async () => {
    const failed = nextWatch(harness, dir, (f) => f.state === 'error');
    await rm(dir, { recursive: true });
    expect(await failed).toMatchObject({ state: 'error', reason: 'folder not found (moved or deleted)' });
    expect((await harness.call('library.status', {})).watchedFolders[0]).toMatchObject({ state: 'error' });

    // Back (a drive plugged in again): checked again by itself, caught up, and watched.
    const synced = nextWatch(harness, dir, (f) => f.state === 'synced');
    await mkdir(dir);
    await writeFile(join(dir, 'e.txt'), sentence('elderberry'));
    expect(await synced).not.toHaveProperty('reason');
    await harness.call('library.waitIdle', {});
    expect(await search(harness, 'elderberry')).toEqual(['e.txt']);
    const done = nextFinished(harness, join(dir, 'f.txt'));
    await writeFile(join(dir, 'f.txt'), sentence('fig'));
    expect(await done).toMatchObject({ state: 'ready' });
  });
});

describe('a watched folder added again after an error (Try again)', () => {
  let harness: LibraryHarness;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-watch-again-'));
    await writeFile(join(dir, 'h.txt'), sentence('huckleberry'));
    // Checked again by itself only after a long while: here, adding it again is what brings it back.
    harness = await openHarness({ watchDebounceMs: 100, watchRetryMs: 600_000 });
    await harness.call('library.add', { paths: [dir], collection: 'Again', watch: true });
    await harness.call('library.waitIdle', {});
  });

  afterAll(async () => {
    await harness?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is watched again at once', async () => {
    const failed = nextWatch(harness, dir, (f) => f.state === 'error');
    await rm(dir, { recursive: true });
    await failed;
    await mkdir(dir);
    await writeFile(join(dir, 'g.txt'), sentence('guava'));
    const synced = nextWatch(harness, dir, (f) => f.state === 'synced');
    await harness.call('library.add', { paths: [dir], collection: 'Again', watch: true });
    await harness.call('library.waitIdle', {});
    await synced;
    expect(await search(harness, 'guava')).toEqual(['g.txt']);
    const done = nextFinished(harness, join(dir, 'i.txt'));
    await writeFile(join(dir, 'i.txt'), sentence('jackfruit'));
    expect(await done).toMatchObject({ state: 'ready' });
  });
});

describe('watched folders across a restart', () => {
  let home: string;
  let dir: string;
  let missing: string;
  let harness: LibraryHarness | undefined;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'hearth-watch-home-'));
    dir = await mkdtemp(join(tmpdir(), 'hearth-watch-restart-'));
    missing = await mkdtemp(join(tmpdir(), 'hearth-watch-missing-'));
    await writeFile(join(dir, 'keep.txt'), sentence('kumquat'));
    await writeFile(join(dir, 'edit.txt'), sentence('lime'));
    await writeFile(join(dir, 'drop.txt'), sentence('mango'));
    await writeFile(join(missing, 'away.txt'), sentence('nectarine'));
    const first = await openHarness({ watchDebounceMs: 100 }, home);
    await first.call('library.add', { paths: [dir, missing], collection: 'Restart', watch: true });
    await first.call('library.waitIdle', {});
    // Closing right away: each folder records that it was up to date, broadcast or not.
    await first.close();

    // While Hearth is closed: one file edited, one deleted, one added, one moved in with an old
    // modification time (as `mv` keeps it), and the other folder taken away.
    await writeFile(join(dir, 'edit.txt'), sentence('lemon'));
    await rm(join(dir, 'drop.txt'));
    await writeFile(join(dir, 'new.txt'), sentence('olive'));
    const outside = join(home, 'moved.txt');
    await writeFile(outside, sentence('papaya'));
    await utimes(outside, new Date('2020-01-01'), new Date('2020-01-01'));
    await rename(outside, join(dir, 'moved.txt'));
    await rm(missing, { recursive: true });
  });

  afterAll(async () => {
    await harness?.close();
    for (const path of [home, dir, missing]) await rm(path, { recursive: true, force: true });
  });

  it('resumes watching and picks up what changed while closed, re-indexing only changed files', async () => {
    harness = await openHarness({ watchDebounceMs: 100 }, home);
    const synced = nextWatch(harness!, dir, (f) => f.state === 'synced');
    await harness.call('library.waitIdle', {});
    expect(await synced).toMatchObject({ pending: 0 });
    const words = (word: string) => search(harness!, word);
    expect(await words('lemon')).toEqual(['edit.txt']);
    expect(await words('lime')).toEqual([]);
    expect(await words('mango')).toEqual([]);
    expect(await words('olive')).toEqual(['new.txt']);
    expect(await words('papaya')).toEqual(['moved.txt']);
    expect(await words('kumquat')).toEqual(['keep.txt']);
    // The unchanged file was not queued again.
    const queued = (await harness.call('library.status', {})).items.map((item) => item.name).sort();
    expect(queued).toEqual(['edit.txt', 'moved.txt', 'new.txt']);
  });

  it('shows the folder that is gone as an error and keeps its documents (a drive may be unplugged)', async () => {
    const status = await harness!.call('library.status', {});
    expect(status.watchedFolders.find((f) => f.path === missing)).toMatchObject({
      state: 'error',
      reason: 'folder not found (moved or deleted)',
      lastSyncedAt: expect.any(String),
    });
    expect(await search(harness!, 'nectarine')).toEqual(['away.txt']);
  });

  it('keeps watching after the restart', async () => {
    const done = nextFinished(harness!, join(dir, 'late.txt'));
    await writeFile(join(dir, 'late.txt'), sentence('quince'));
    expect(await done).toMatchObject({ state: 'ready' });
  });
});
