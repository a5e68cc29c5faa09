import { describe, expect, it } from 'vitest';
import type {
  Collection,
  IngestItem,
  IngestOverall,
  LibraryDocument,
  LibraryStatus,
  Params,
} from '../../../../electron/common/api/contract.js';
import { ErrorCode, HearthError } from '../../../../electron/common/api/errors.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { LibraryState } from './LibraryState.svelte.js';
import type { Uploader } from './uploader.js';

const overall: IngestOverall = {
  paused: false,
  total: 0,
  queued: 0,
  active: 0,
  ready: 0,
  skipped: 0,
  failed: 0,
  progress: 0,
};

function item(
  id: string,
  path: string,
  state: IngestItem['state'],
  extra: Partial<IngestItem> = {},
): IngestItem {
  return {
    id,
    path,
    name: path.split('/').at(-1) ?? path,
    collectionId: 'c1',
    state,
    progress: 0,
    updatedAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

/** A stand-in core that keeps collections and documents in memory, behind the real Dispatcher. */
function fakeCore(status: Partial<LibraryStatus> = {}) {
  const collections: Collection[] = [
    { id: 'c1', name: 'Library', documentCount: 1, createdAt: '2026-01-01T00:00:00Z' },
  ];
  const documents: LibraryDocument[] = [
    {
      id: 'd1',
      collectionId: 'c1',
      name: 'fox.md',
      path: '/docs/fox.md',
      kind: 'markdown',
      sizeBytes: 120,
      contentHash: 'h',
      chunkCount: 3,
      indexedAt: '2026-01-01T00:00:00Z',
    },
  ];
  const added: Params<'library.add'>[] = [];
  /** Runs as the core answers an add, with the items it queued. */
  const hooks: { beforeAddAnswer?: (queued: IngestItem[]) => void } = {};
  const current: LibraryStatus = {
    overall,
    items: [],
    embeddingModel: null,
    watchedFolders: [],
    ...status,
  };
  const transport = new LoopbackTransport({
    'library.status': async () => current,
    'collections.list': async () => collections.map((collection) => ({ ...collection })),
    'library.documents': async ({ collection }) =>
      documents.filter((document) => !collection || document.collectionId === collection),
    'collections.create': async ({ name }) => {
      if (collections.some((collection) => collection.name === name)) {
        throw new HearthError(ErrorCode.CollectionExists, `A collection named ${name} exists.`);
      }
      const created = { id: `c${collections.length + 1}`, name, documentCount: 0, createdAt: '' };
      collections.push(created);
      return created;
    },
    'collections.rename': async ({ collectionId, name }) => {
      const found = collections.find((collection) => collection.id === collectionId);
      if (!found) throw new HearthError(ErrorCode.NotFound, 'No such collection.');
      found.name = name;
      return found;
    },
    'library.removeDocument': async ({ documentId }) => {
      const index = documents.findIndex((document) => document.id === documentId);
      if (index >= 0) documents.splice(index, 1);
      return { removed: index >= 0 };
    },
    'library.add': async (params) => {
      added.push(params);
      const names = params.paths ?? params.uploads?.map((upload) => upload.name) ?? [];
      const queued = names.map((name, index) => item(`q${added.length}-${index}`, name, 'queued'));
      hooks.beforeAddAnswer?.(queued);
      return { collectionId: 'c1', queued };
    },
  });
  return { client: new HearthClient(transport), transport, added, hooks, collections, documents };
}

describe('LibraryState', () => {
  it('loads the status, collections and documents, then follows per-file progress events', async () => {
    const core = fakeCore({
      items: [item('a', '/notes/a.md', 'queued'), item('b', '/notes/b.md', 'queued')],
      watchedFolders: [{ path: '/notes', collectionId: 'c1', state: 'syncing', pending: 2 }],
    });
    const library = new LibraryState(core.client, null);
    const stop = library.start();
    await expect.poll(() => library.ready).toBe(true);
    expect(library.documents.map((document) => document.name)).toEqual(['fox.md']);
    expect(library.pendingCount).toBe(2);
    core.transport.emit('library.progress', {
      item: item('a', '/notes/a.md', 'indexing', { progress: 0.5 }),
      overall: { ...overall, total: 1, active: 1, progress: 0.5 },
    });
    // The bar and the words follow the files listed, whatever batch they came in.
    expect(library.listed).toMatchObject({ total: 2, active: 1, queued: 1, progress: 0.25 });
    // A watched folder's state is the core's, as listed and then as broadcast.
    expect(library.watchedFolders).toEqual([
      { path: '/notes', collectionId: 'c1', pending: 2, state: 'syncing' },
    ]);

    core.transport.emit('library.progress', {
      item: item('a', '/notes/a.md', 'ready', { chunkCount: 4, progress: 1 }),
      overall: { ...overall, total: 2, ready: 1, queued: 1, progress: 0.5 },
    });
    core.transport.emit('library.progress', {
      item: item('b', '/notes/b.md', 'skipped', { reason: 'Zero-byte file.' }),
      overall: { ...overall, total: 2, ready: 1, skipped: 1, progress: 1 },
    });
    expect(library.items.map((entry) => entry.state)).toEqual(['ready', 'skipped']);
    expect(library.items[1]?.reason).toBe('Zero-byte file.');
    expect(library.pendingCount).toBe(0);
    expect(library.overall.skipped).toBe(1);
    expect(library.listed).toMatchObject({ total: 2, ready: 1, skipped: 1, progress: 1 });
    expect(library.watchedFolders[0]?.state).toBe('syncing');
    core.transport.emit('library.watch', {
      path: '/notes',
      collectionId: 'c1',
      state: 'synced',
      pending: 0,
      lastSyncedAt: '2026-01-01T00:00:00Z',
    });
    expect(library.watchedFolders).toEqual([
      {
        path: '/notes',
        collectionId: 'c1',
        state: 'synced',
        pending: 0,
        lastSyncedAt: '2026-01-01T00:00:00Z',
      },
    ]);
    core.transport.emit('library.watch', {
      path: '/elsewhere',
      collectionId: 'c1',
      state: 'error',
      pending: 0,
      reason: 'folder not found (moved or deleted)',
    });
    expect(library.watchedFolders.map((folder) => folder.state)).toEqual(['synced', 'error']);
    stop();
  });

  it('sends paths straight to the core and keeps the folders watched', async () => {
    const core = fakeCore();
    const library = new LibraryState(core.client, null);
    await library.refresh();
    await library.add({ paths: ['/home/me/notes'], files: [] });
    expect(core.added).toEqual([{ paths: ['/home/me/notes'], watch: true }]);
    expect(library.items.map((entry) => entry.state)).toEqual(['queued']);
  });

  it('uploads browser files one by one, then adds their handles to the selected collection', async () => {
    const core = fakeCore();
    const sent: string[] = [];
    const uploader: Uploader = {
      async upload(_file, relativePath) {
        sent.push(relativePath);
        return { handle: `h-${sent.length}`, name: relativePath };
      },
    };
    const library = new LibraryState(core.client, uploader);
    await library.refresh();
    library.selectCollection('c1');
    const files = ['notes/a.md', 'notes/sub/b.txt'].map((relativePath) => ({
      file: new File(['x'], relativePath.split('/').at(-1) ?? ''),
      relativePath,
    }));
    await library.add({ paths: [], files });
    expect(sent).toEqual(['notes/a.md', 'notes/sub/b.txt']);
    expect(core.added).toEqual([
      {
        uploads: [
          { handle: 'h-1', name: 'notes/a.md' },
          { handle: 'h-2', name: 'notes/sub/b.txt' },
        ],
        collection: 'c1',
      },
    ]);
    expect(library.uploading).toBeNull();
    expect(library.items).toHaveLength(2);
  });

  it('keeps a file indexed before the answer of its add arrived as ready, not queued again', async () => {
    const core = fakeCore();
    const library = new LibraryState(core.client, null);
    const stop = library.start();
    await expect.poll(() => library.ready).toBe(true);
    // A small file: the core indexes it and broadcasts its progress before answering the add.
    core.hooks.beforeAddAnswer = ([queued]) => {
      core.transport.emit('library.progress', {
        item: { ...queued!, state: 'ready', progress: 1, chunkCount: 1 },
        overall: { ...overall, total: 1, ready: 1, progress: 1 },
      });
    };
    await library.add({ paths: ['/notes/tiny.txt'], files: [] });
    expect(library.items.map((entry) => entry.state)).toEqual(['ready']);

    // Files queued by a chat are followed the same way.
    core.transport.emit('library.progress', {
      item: item('chat', '/uploads/ferry.txt', 'ready', { progress: 1 }),
      overall: { ...overall, total: 2, ready: 2, progress: 1 },
    });
    library.track([item('chat', '/uploads/ferry.txt', 'queued')]);
    expect(library.items.map((entry) => entry.state)).toEqual(['ready', 'ready']);
    stop();
  });

  it('creates, renames and selects collections, and shows the core’s refusal as a typed error', async () => {
    const core = fakeCore();
    const library = new LibraryState(core.client, null);
    await library.refresh();
    const created = await library.createCollection('Research');
    expect(created?.name).toBe('Research');
    expect(library.selectedCollectionId).toBe(created?.id);
    expect(await library.renameCollection(created?.id ?? '', 'Papers')).toBe(true);
    expect(library.collections.map((collection) => collection.name)).toEqual(['Library', 'Papers']);

    expect(await library.createCollection('Papers')).toBeNull();
    expect(library.error?.code).toBe(ErrorCode.CollectionExists);
  });

  it('removes a document from the list once the core removed it', async () => {
    const core = fakeCore();
    const library = new LibraryState(core.client, null);
    await library.refresh();
    expect(await library.removeDocument('d1')).toBe(true);
    expect(library.documents).toEqual([]);
    expect(core.documents).toEqual([]);
  });
});
