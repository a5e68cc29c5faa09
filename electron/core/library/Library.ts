/**
 * The document library: adds files to a persisted queue, parses them in a worker thread, chunks
 * by structure, embeds with the library's own embedding model, and keeps the LanceDB index in
 * sync (watch folders included). Implements the library.* and collections.* contract methods.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type {
  Collection,
  EventPayload,
  IngestItem,
  LibraryDocument,
  LibraryStatus,
  Passage,
  SearchMode,
} from '../../common/api/contract.js';
import { BadPathError } from '../errors/BadPathError.js';
import { CancelledError } from '../errors/CancelledError.js';
import { EmbeddingModelUnavailableError } from '../errors/EmbeddingModelUnavailableError.js';
import { NotFoundError } from '../errors/NotFoundError.js';
import { chunkDocument } from './chunk/chunkDocument.js';
import { Collections } from './Collections.js';
import type { Embedder, EmbeddingModelInfo } from './embed/Embedder.js';
import { FolderWatcher, type WatchChange } from './FolderWatcher.js';
import { highlightRanges } from './index/fuse.js';
import {
  LibraryIndex,
  type ChunkHit,
  type ChunkRow,
  type DocumentRow,
  type IndexTuning,
} from './index/LibraryIndex.js';
import { IngestQueue, isFinished, type QueueEntry } from './ingest/IngestQueue.js';
import { JsonFile } from './JsonFile.js';
import type { ParserPool } from './parse/ParserPool.js';
import { walkPaths } from './walkPaths.js';
import { folderProblem, isInsideFolder, WatchStates, type WatchRecord } from './WatchStates.js';

export type LibraryEvent = 'library.progress' | 'library.changed' | 'library.watch';
export type LibraryEmit = <E extends LibraryEvent>(event: E, payload: EventPayload<E>) => void;

export interface LibraryOptions {
  /** <data>/library */
  dir: string;
  /** The embedding model; undefined when none is configured (adding and searching then fail clearly). */
  embedder: Embedder | undefined;
  parser: ParserPool;
  emit: LibraryEmit;
  chunking?: { maxTokens?: number; overlapTokens?: number };
  tuning?: Partial<IndexTuning>;
  /** Debounce of watch-folder events. */
  watchDebounceMs?: number;
  /** How often a watched folder in error (missing, unreadable) is checked again; default 30 s. */
  watchRetryMs?: number;
  /** How often the index is compacted (optimize) in the background; default 10 minutes. */
  optimizeIntervalMs?: number;
  /** Start the queue and the folder watchers on open (false for one-shot CLI commands that only read). */
  autoStart?: boolean;
  log?: (line: string) => void;
}

interface IndexMeta {
  embedding: EmbeddingModelInfo | null;
}

const UPLOAD_HANDLE = /^[A-Za-z0-9_-]{16,64}$/;
const PROGRESS_INTERVAL_MS = 250;

/** A stable document id: one per file per collection. */
export function documentIdFor(collectionId: string, path: string): string {
  return createHash('sha256').update(`${collectionId}\0${path}`).digest('hex').slice(0, 32);
}

/** Files above this are hashed by samples (size, head, middle, tail): a 2 GB log is not read twice. */
const FULL_HASH_LIMIT = 64 * 1024 * 1024;
const SAMPLE = 1024 * 1024;

async function hashFile(path: string, size: number, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  if (size > FULL_HASH_LIMIT) {
    const handle = await open(path, 'r');
    try {
      hash.update(`sampled:${size}`);
      for (const at of [0, Math.floor(size / 2), size - SAMPLE]) {
        const buffer = Buffer.alloc(SAMPLE);
        const { bytesRead } = await handle.read(buffer, 0, SAMPLE, at);
        hash.update(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    return hash.digest('hex');
  }
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1024 * 1024,
    signal,
  }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

export class Library {
  private index: LibraryIndex | undefined;
  private opening: Promise<LibraryIndex> | undefined;
  private running: Promise<void> | undefined;
  private optimizing: Promise<void> | undefined;
  /** Whether the open index was checked against the current embedding model. */
  private modelChecked = false;
  private optimizeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying: Promise<void> | undefined;
  private current: { entry: QueueEntry; controller: AbortController } | undefined;
  private idleWaiters = new Set<() => void>();
  private resumeWaiters = new Set<() => void>();
  private lastProgress = 0;
  private disposed = false;
  private watches!: WatchStates;
  /** Watches resumed on open: each folder checked for changes made while Hearth was closed. */
  private resumingWatches: Promise<void> | undefined;
  /** Watch changes being handed to the queue (still pending for their folder's state). */
  private readonly applying = new Set<Set<string>>();
  private readonly watcher: FolderWatcher;
  /** The embedding model now; replaced by setEmbedder. */
  private embedder: Embedder | undefined;
  /** While the embedding model is being replaced, the queue stops after the current file. */
  private swapping = false;

  private constructor(
    private readonly options: LibraryOptions,
    private readonly collections: Collections,
    private readonly queue: IngestQueue,
    private readonly metaFile: JsonFile<IndexMeta>,
  ) {
    this.embedder = options.embedder;
    this.watcher = new FolderWatcher({
      debounceMs: options.watchDebounceMs ?? 1000,
      onChanges: (folder, changes) => void this.applyWatchChanges(folder, changes),
      onNoticed: () => this.watches.changed(),
      onFolderGone: (folder) => this.watches.mark(folder, { error: 'folder not found (moved or deleted)' }),
      log: options.log,
    });
  }

  static async open(options: LibraryOptions): Promise<Library> {
    await mkdir(join(options.dir, 'uploads'), { recursive: true });
    const library = new Library(
      options,
      await Collections.open(join(options.dir, 'collections.json')),
      await IngestQueue.open(join(options.dir, 'queue.json')),
      new JsonFile<IndexMeta>(join(options.dir, 'index.json'), () => ({ embedding: null })),
    );
    library.watches = await WatchStates.open({
      file: new JsonFile<WatchRecord[]>(join(options.dir, 'watches.json'), () => []),
      pendingOf: (record) => library.pendingIn(record),
      emit: (folder) => options.emit('library.watch', folder),
    });
    // Compaction also runs now and then, and every N writes (LibraryIndex).
    library.optimizeTimer = setInterval(
      () => library.runOptimize(),
      options.optimizeIntervalMs ?? 10 * 60_000,
    );
    library.optimizeTimer.unref();
    if (options.autoStart !== false) {
      // A folder that was missing (an unplugged drive) is watched again once it is back.
      library.retryTimer = setInterval(() => library.retryWatches(), options.watchRetryMs ?? 30_000);
      library.retryTimer.unref();
      library.resumingWatches = Promise.all(library.watches.all().map((r) => library.resumeWatch(r))).then(
        () => undefined,
      );
      if (library.queue.hasPending()) library.kick();
      // An index built by another embedding model is re-embedded in the background from the start.
      else if (library.embedder && (await library.metaFile.read()).embedding) {
        void library.ensureIndex().catch((error: unknown) => options.log?.(`library: ${String(error)}`));
      }
    }
    return library;
  }

  get uploadsDir(): string {
    return join(this.options.dir, 'uploads');
  }

  // ---- index and embedding model -------------------------------------------------------------

  private requireEmbedder(): Embedder {
    if (!this.embedder) {
      throw new EmbeddingModelUnavailableError(
        'No embedding model is set. Set HEARTH_EMBED_MODEL to a .gguf embedding model (a path or a models-folder id).',
      );
    }
    return this.embedder;
  }

  /**
   * The index for the current embedding model. A different model than the one that built the
   * index empties the chunks table and queues every document again: vectors are never mixed.
   */
  private ensureIndex(): Promise<LibraryIndex> {
    if (this.index && this.modelChecked) return Promise.resolve(this.index);
    return (this.opening ??= (async () => {
      const info = await this.requireEmbedder().info();
      const meta = await this.metaFile.read();
      const changed =
        meta.embedding !== null &&
        (meta.embedding.fingerprint !== info.fingerprint || meta.embedding.dimension !== info.dimension);
      // An index opened for listing (readIndex) is kept when the model is the same.
      const readOnly = this.index;
      const index =
        readOnly && !changed && readOnly.dimension === info.dimension
          ? readOnly
          : await LibraryIndex.open(join(this.options.dir, 'index'), info.dimension, {
              reset: changed,
              tuning: this.options.tuning,
              log: this.options.log,
            });
      if (readOnly && readOnly !== index) {
        this.index = undefined;
        await readOnly.close();
      }
      if (changed) await this.requeueAll(index);
      else await index.removeOrphans();
      await this.metaFile.write({ embedding: info });
      this.index = index;
      this.modelChecked = true;
      return index;
    })().finally(() => {
      this.opening = undefined;
    }));
  }

  /**
   * Replaces the embedding model (the library setting changed). The file being indexed goes back
   * to the queue; if documents were indexed by another model, the chunks table is emptied and every
   * document is queued again (ensureIndex), so vectors of two models never share a table.
   */
  async setEmbedder(next: Embedder | undefined): Promise<void> {
    this.swapping = true;
    try {
      this.current?.controller.abort();
      await this.running?.catch(() => undefined);
      await this.opening?.catch(() => undefined);
      const previous = this.embedder;
      this.embedder = next;
      this.modelChecked = false;
      this.currentModelInfo = null;
      await previous?.dispose();
    } finally {
      this.swapping = false;
    }
    if (next && (await this.metaFile.read()).embedding) await this.ensureIndex();
    if (this.queue.hasPending()) this.kick();
    this.options.emit('library.changed', { reason: 'embedding-model-changed' });
  }

  private async requeueAll(index: LibraryIndex): Promise<void> {
    const documents = await index.listDocuments();
    await index.deleteDocuments(documents.map((d) => d.id));
    this.queue.add(
      documents.map((d) => ({
        path: d.path,
        name: d.name,
        collectionId: d.collection_id,
        sizeBytes: d.size_bytes,
        force: true,
        upload: this.isUpload(d.path),
      })),
    );
    await this.queue.persist();
    this.options.log?.(`library: the embedding model changed; re-embedding ${documents.length} documents`);
    this.kick();
  }

  private isUpload(path: string): boolean {
    const inside = relative(this.uploadsDir, path);
    return !!inside && !inside.startsWith('..') && !inside.includes(sep);
  }

  // ---- adding -----------------------------------------------------------------------------------

  async add(
    params: {
      paths?: string[];
      uploads?: Array<{ handle: string; name: string }>;
      collection?: string;
      watch?: boolean;
    },
    cwd = process.cwd(),
  ): Promise<{ collectionId: string; queued: IngestItem[] }> {
    const embedder = this.requireEmbedder();
    await embedder.info();
    const collection = await this.collections.ensure(params.collection);
    const paths = (params.paths ?? []).map((p) => resolve(cwd, p));
    const entries = await walkPaths(paths);
    const uploads = [];
    for (const upload of params.uploads ?? []) {
      if (!UPLOAD_HANDLE.test(upload.handle)) throw new NotFoundError(`No upload "${upload.handle}".`);
      const path = join(this.uploadsDir, upload.handle);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile())
        throw new NotFoundError(`No upload "${upload.handle}" (it may have been added already).`);
      // The name (possibly a folder-relative path from a drop) is for display and type hints only.
      uploads.push({ path, name: upload.name.trim() || 'upload', sizeBytes: info.size });
    }
    if (paths.length > 0 && entries.length === 0 && uploads.length === 0) {
      throw new BadPathError('No files found in the given folders.');
    }
    const added = this.queue.add([
      ...entries.map((entry) =>
        'problem' in entry
          ? {
              path: entry.path,
              name: basename(entry.path),
              collectionId: collection.id,
              sizeBytes: 0,
              state: 'failed' as const,
              reason: entry.problem,
              progress: 1,
            }
          : {
              path: entry.path,
              name: basename(entry.path),
              collectionId: collection.id,
              sizeBytes: entry.sizeBytes,
            },
      ),
      ...uploads.map((u) => ({ ...u, collectionId: collection.id, upload: true })),
    ]);
    await this.queue.persist();
    for (const item of added) this.emitProgress(item, true);
    if (params.watch) {
      for (const path of paths) {
        const info = await stat(path).catch(() => undefined);
        if (!info?.isDirectory()) continue;
        const known = this.watches.find(path);
        if (known) {
          // Added again after an error (the folder is back): watch it afresh.
          if (this.watches.describe(known).state === 'error') {
            await this.watcher.remove(path);
            await this.watcher.add(path);
            this.watches.mark(path, { error: undefined });
          }
          continue;
        }
        await this.watches.add({ path, collectionId: collection.id });
        await this.watcher.add(path);
      }
      this.watches.changed();
    }
    this.kick();
    return { collectionId: collection.id, queued: added.map((entry) => IngestQueue.toItem(entry)) };
  }

  // ---- the queue --------------------------------------------------------------------------------

  private kick(): void {
    if (this.running || this.disposed || this.swapping) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (!this.queue.hasPending()) {
        this.wakeIdle();
        // Many small writes leave many small fragments: compact once the batch is done.
        this.runOptimize();
      } else if (!this.queue.paused && !this.disposed) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.disposed || this.swapping) return;
      if (this.queue.paused) {
        await new Promise<void>((resume) => this.resumeWaiters.add(resume));
        continue;
      }
      const entry = this.queue.nextQueued();
      if (!entry) return;
      const controller = new AbortController();
      this.current = { entry, controller };
      try {
        await this.ingest(entry, controller.signal);
      } catch (error) {
        if (this.disposed || this.swapping) {
          // Quitting, or changing the embedding model: the file stays queued and resumes.
          this.queue.update(entry, { state: 'queued', progress: 0 });
        } else if (error instanceof CancelledError || (error as Error).name === 'AbortError') {
          this.finish(entry, 'skipped', 'cancelled');
        } else {
          this.finish(entry, 'failed', (error as Error).message || 'unexpected error');
        }
      } finally {
        this.current = undefined;
        await this.queue.persist();
      }
    }
  }

  private setState(entry: QueueEntry, change: Partial<QueueEntry>): void {
    this.queue.update(entry, change);
    void this.queue.persist();
    this.emitProgress(entry, true);
  }

  private finish(
    entry: QueueEntry,
    state: 'ready' | 'skipped' | 'failed',
    reason?: string,
    extra: Partial<QueueEntry> = {},
  ): void {
    this.queue.update(entry, { state, progress: 1, reason, ...extra });
    this.emitProgress(entry, true);
  }

  private emitProgress(entry: QueueEntry, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    if (force) this.watches.touch(entry.path);
    this.options.emit('library.progress', { item: IngestQueue.toItem(entry), overall: this.queue.overall() });
  }

  /** Indexes one file: skip if unchanged, else parse (worker), chunk, embed, replace in the index. */
  private async ingest(entry: QueueEntry, signal: AbortSignal): Promise<void> {
    const embedder = this.requireEmbedder();
    const index = await this.ensureIndex();
    this.setState(entry, { state: 'reading', progress: 0.05 });
    const docId = documentIdFor(entry.collectionId, entry.path);
    let before;
    try {
      before = await stat(entry.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.finish(
        entry,
        'failed',
        code === 'ENOENT'
          ? 'file not found (moved or deleted)'
          : code === 'ELOOP'
            ? 'symbolic link loop'
            : code === 'EACCES'
              ? 'no permission to read the file'
              : (error as Error).message,
      );
      return;
    }
    let contentHash: string;
    try {
      contentHash = await hashFile(entry.path, before.size, signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const code = (error as NodeJS.ErrnoException).code;
      this.finish(
        entry,
        'failed',
        code === 'EACCES' || code === 'EPERM'
          ? 'no permission to read the file'
          : code === 'EISDIR'
            ? 'is a folder, not a file'
            : `cannot read the file: ${(error as Error).message}`,
      );
      return;
    }

    const existing = await index.getDocument(docId);
    if (
      !entry.force &&
      existing &&
      existing.content_hash === contentHash &&
      (await index.countChunks(docId)) === existing.chunk_count
    ) {
      this.finish(entry, 'skipped', 'already in the library (unchanged)', {
        documentId: docId,
        chunkCount: existing.chunk_count,
      });
      return;
    }
    const twin = await index.findByHash(entry.collectionId, contentHash);
    if (twin && twin.id !== docId) {
      this.finish(entry, 'skipped', `same content as ${twin.name}, already in the library`, {
        documentId: twin.id,
        chunkCount: twin.chunk_count,
      });
      if (entry.upload) await rm(entry.path, { force: true });
      return;
    }

    let stageStart = performance.now();
    const stages: Record<string, number> = {};
    const stageDone = (name: string) => {
      const now = performance.now();
      stages[name] = Math.round(now - stageStart);
      stageStart = now;
    };
    const parsed = await this.options.parser.parse(entry.path, entry.name, signal);
    stageDone('parse');
    const after = await stat(entry.path).catch(() => undefined);
    if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      if (entry.attempts < 3) {
        this.setState(entry, {
          state: 'queued',
          progress: 0,
          attempts: entry.attempts + 1,
          reason: 'changed while being read; trying again',
        });
      } else this.finish(entry, 'failed', 'the file kept changing while being read');
      return;
    }
    if (!parsed.ok) {
      this.finish(entry, parsed.outcome, parsed.reason);
      return;
    }
    const { document } = parsed;

    this.setState(entry, { state: 'indexing', progress: 0.2, reason: undefined });
    const countTokens = await embedder.tokenCounter();
    const contextTokens = await embedder.maxTokens();
    const maxTokens = Math.min(this.options.chunking?.maxTokens ?? 400, contextTokens - 64);
    const chunks = await chunkDocument(document, {
      maxTokens,
      overlapTokens: Math.min(this.options.chunking?.overlapTokens ?? 50, Math.floor(maxTokens / 4)),
      countTokens,
    });
    stageDone('chunk');
    // Headings give a passage its context; they go into the embedded text, not the stored one.
    const texts = chunks.map((chunk) =>
      chunk.headingPath.length ? `${chunk.headingPath.join(' > ')}\n\n${chunk.text}` : chunk.text,
    );
    const vectors = await embedder.embed(
      texts,
      signal,
      (done) => {
        this.queue.update(entry, { progress: 0.2 + 0.75 * (done / Math.max(1, texts.length)) });
        this.emitProgress(entry, false);
      },
      () => this.waitWhilePaused(signal),
    );
    if (signal.aborted) throw new CancelledError('Cancelled.');
    stageDone('embed');

    const rows: ChunkRow[] = chunks.map((chunk, ord) => ({
      id: `${docId}:${ord}`,
      doc_id: docId,
      collection_id: entry.collectionId,
      ord,
      text: chunk.text,
      heading_path: JSON.stringify(chunk.headingPath),
      page: chunk.page ?? null,
      char_start: chunk.charStart,
      char_end: chunk.charEnd,
      vector: vectors[ord]!,
    }));
    const row: DocumentRow = {
      id: docId,
      collection_id: entry.collectionId,
      name: entry.name,
      path: entry.path,
      kind: document.kind,
      size_bytes: before.size,
      content_hash: contentHash,
      chunk_count: rows.length,
      page_count: document.pageCount ?? null,
      indexed_at: new Date().toISOString(),
      note: document.note ?? null,
    };
    const written = await index.putDocument(row, rows);
    stages.write = Math.round(written.writeMs);
    stages.index = Math.round(written.indexMs);
    stageStart = performance.now();
    this.options.log?.(
      `library: indexed ${entry.name}: ${rows.length} chunks; ` +
        Object.entries(stages)
          .map(([name, ms]) => `${name} ${ms} ms`)
          .join(', '),
    );
    this.finish(entry, 'ready', document.note, { documentId: docId, chunkCount: rows.length });
    this.options.emit('library.changed', { reason: 'document-added' });
  }

  private async waitWhilePaused(signal: AbortSignal): Promise<void> {
    while (this.queue.paused && !signal.aborted && !this.disposed) {
      await new Promise<void>((resume) => this.resumeWaiters.add(resume));
    }
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters) wake();
    this.idleWaiters.clear();
  }

  status(): LibraryStatus {
    return {
      overall: this.queue.overall(),
      items: this.queue.all().map((entry) => IngestQueue.toItem(entry)),
      embeddingModel: this.index ? this.currentModelInfo : null,
      watchedFolders: this.watches.list(),
    };
  }

  private currentModelInfo: EmbeddingModelInfo | null = null;

  /** The status, with the embedding model filled in when it can be known. */
  async fullStatus(): Promise<LibraryStatus> {
    if (this.embedder && !this.currentModelInfo) {
      this.currentModelInfo = await this.embedder.info().catch(() => null);
    }
    return { ...this.status(), embeddingModel: this.currentModelInfo };
  }

  async waitIdle(signal?: AbortSignal): Promise<LibraryStatus> {
    await this.resumingWatches;
    await this.opening?.catch(() => undefined);
    while (this.queue.hasPending() || this.running) {
      if (signal?.aborted) throw new CancelledError('Stopped waiting.');
      await new Promise<void>((resolveWait) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          this.idleWaiters.delete(wake);
          resolveWait();
        };
        this.idleWaiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
        if (!this.running && this.queue.hasPending() && !this.queue.paused) this.kick();
      });
    }
    return this.fullStatus();
  }

  async pause(): Promise<LibraryStatus> {
    this.queue.paused = true;
    await this.queue.persist();
    this.emitOverall();
    return this.fullStatus();
  }

  async resume(): Promise<LibraryStatus> {
    this.queue.paused = false;
    await this.queue.persist();
    for (const wake of this.resumeWaiters) wake();
    this.resumeWaiters.clear();
    this.emitOverall();
    this.kick();
    return this.fullStatus();
  }

  private emitOverall(): void {
    const last = this.current?.entry ?? this.queue.all()[this.queue.all().length - 1];
    if (last) this.emitProgress(last, true);
  }

  async cancel(itemId?: string): Promise<LibraryStatus> {
    for (const entry of this.queue.all()) {
      if (itemId !== undefined && entry.id !== itemId) continue;
      if (entry.state === 'queued') this.finish(entry, 'skipped', 'cancelled');
    }
    if (this.current && (itemId === undefined || this.current.entry.id === itemId))
      this.current.controller.abort();
    await this.queue.persist();
    if (!this.queue.hasPending() && !this.running) this.wakeIdle();
    return this.fullStatus();
  }

  async clearFinished(): Promise<LibraryStatus> {
    this.queue.clearFinished();
    await this.queue.persist();
    return this.fullStatus();
  }

  // ---- watch folders ---------------------------------------------------------------------------

  private async applyWatchChanges(folder: string, changes: WatchChange[]): Promise<void> {
    const record = this.watches.find(folder);
    if (!record || this.disposed) return;
    // Until they are queued, the changes count as pending: the folder stays "syncing".
    const applying = new Set(changes.map((change) => change.path));
    this.applying.add(applying);
    this.watches.changed();
    try {
      const index = await this.ensureIndex();
      const removed = changes.filter((c) => c.kind === 'remove').map((c) => c.path);
      if (removed.length > 0) {
        const documents = await index.listDocuments([record.collectionId]);
        const gone = documents.filter((d) => removed.some((p) => d.path === p || d.path.startsWith(p + sep)));
        await index.deleteDocuments(gone.map((d) => d.id));
        if (gone.length > 0) this.options.emit('library.changed', { reason: 'document-removed' });
      }
      const upserts = changes.filter((c) => c.kind === 'upsert').map((c) => c.path);
      if (upserts.length > 0) await this.add({ paths: upserts, collection: record.collectionId });
    } catch (error) {
      this.options.log?.(`library: syncing ${folder}: ${(error as Error).message}`);
    } finally {
      this.applying.delete(applying);
      this.watches.mark(folder, {});
    }
  }

  /** Files of a watched folder noticed by the watcher, queued or being indexed. */
  private pendingIn(record: WatchRecord): number {
    // A path counts once, whether noticed, being handed to the queue, or queued.
    const pending = new Set(this.watcher.pendingPaths(record.path));
    for (const paths of this.applying)
      for (const path of paths) if (isInsideFolder(path, record.path)) pending.add(path);
    for (const entry of this.queue.all()) {
      if (
        !isFinished(entry.state) &&
        entry.collectionId === record.collectionId &&
        isInsideFolder(entry.path, record.path)
      )
        pending.add(entry.path);
    }
    return pending.size;
  }

  /**
   * Resumes watching a folder after a start: checks that it is there and readable, watches it, then
   * brings the index up to date with what changed while Hearth was closed (new or edited files are
   * queued, deleted ones leave the index). A missing folder keeps its documents (a drive may be
   * unplugged) and shows as an error until it is added again or the next start finds it.
   */
  private async resumeWatch(record: WatchRecord): Promise<void> {
    this.watches.mark(record.path, { scanning: true });
    const problem = await folderProblem(record.path);
    if (problem) {
      this.watches.mark(record.path, { scanning: false, error: problem });
      return;
    }
    try {
      // Watch first, so nothing that changes during the scan is missed (the queue drops doubles).
      await this.watcher.add(record.path);
      const since = record.lastSyncedAt ? Date.parse(record.lastSyncedAt) : 0;
      const entries = await walkPaths([record.path]);
      const index = await this.readIndex();
      const documents = new Map(
        (index ? await index.listDocuments([record.collectionId]) : [])
          .filter((d) => isInsideFolder(d.path, record.path))
          .map((d) => [d.path, d]),
      );
      const onDisk = new Set(entries.map((entry) => entry.path));
      const gone = [...documents.values()].filter((d) => !onDisk.has(d.path));
      if (index && gone.length > 0) {
        await index.deleteDocuments(gone.map((d) => d.id));
        this.options.emit('library.changed', { reason: 'document-removed' });
      }
      const changed: string[] = [];
      for (const entry of entries) {
        if ('problem' in entry) continue;
        const info = await stat(entry.path).catch(() => undefined);
        if (!info) continue;
        const known = documents.get(entry.path);
        // ctime moves when a file is moved in (mv keeps mtime): a file that arrived counts as new.
        const touched = Math.max(info.mtimeMs, info.ctimeMs);
        const stale = known
          ? known.size_bytes !== info.size || info.mtimeMs > Date.parse(known.indexed_at)
          : !since || touched > since;
        if (stale) changed.push(entry.path);
      }
      if (changed.length > 0) await this.add({ paths: changed, collection: record.collectionId });
      this.watches.mark(record.path, { scanning: false });
    } catch (error) {
      this.options.log?.(`library: resuming ${record.path}: ${(error as Error).message}`);
      this.watches.mark(record.path, { scanning: false, error: (error as Error).message });
    }
  }

  /** Watches again, with a catch-up scan, the folders in error that can be read now. */
  private retryWatches(): void {
    if (this.retrying || this.disposed) return;
    const failed = this.watches.all().filter((record) => this.watches.describe(record).state === 'error');
    if (failed.length === 0) return;
    this.retrying = (async () => {
      for (const record of failed) {
        if (this.disposed || (await folderProblem(record.path))) continue;
        await this.watcher.remove(record.path);
        this.watches.mark(record.path, { error: undefined });
        await this.resumeWatch(record);
      }
    })().finally(() => {
      this.retrying = undefined;
    });
  }

  async unwatch(path: string): Promise<{ removed: boolean }> {
    const full = resolve(path);
    await this.watcher.remove(full);
    return { removed: await this.watches.remove(full) };
  }

  // ---- documents and collections ---------------------------------------------------------------

  /**
   * The index for listing and removing, without loading the embedding model: opened at the
   * dimension recorded in index.json. Undefined when nothing was ever indexed.
   */
  private async readIndex(): Promise<LibraryIndex | undefined> {
    if (this.index) return this.index;
    if (this.opening) return this.opening;
    const meta = await this.metaFile.read();
    if (!meta.embedding) return undefined;
    if (this.index) return this.index;
    this.index = await LibraryIndex.open(join(this.options.dir, 'index'), meta.embedding.dimension, {
      tuning: this.options.tuning,
      log: this.options.log,
    });
    return this.index;
  }

  async documents(collection?: string): Promise<LibraryDocument[]> {
    const ids = collection === undefined ? undefined : [this.collections.get(collection).id];
    const index = await this.readIndex();
    if (!index) return [];
    return (await index.listDocuments(ids))
      .map(toLibraryDocument)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async removeDocument(documentId: string): Promise<{ removed: boolean }> {
    const index = await this.readIndex();
    const document = await index?.getDocument(documentId);
    if (!index || !document) return { removed: false };
    await index.deleteDocuments([documentId]);
    if (this.isUpload(document.path)) await rm(document.path, { force: true });
    this.options.emit('library.changed', { reason: 'document-removed' });
    return { removed: true };
  }

  async listCollections(): Promise<Collection[]> {
    const index = await this.readIndex();
    const documents = index ? await index.listDocuments() : [];
    return this.collections.list().map((c) => ({
      ...c,
      documentCount: documents.filter((d) => d.collection_id === c.id).length,
    }));
  }

  private async describeCollection(id: string): Promise<Collection> {
    const found = (await this.listCollections()).find((c) => c.id === id);
    if (!found) throw new NotFoundError(`No collection "${id}".`);
    return found;
  }

  async createCollection(name: string): Promise<Collection> {
    const record = await this.collections.create(name);
    this.options.emit('library.changed', { reason: 'collection-created' });
    return this.describeCollection(record.id);
  }

  async renameCollection(id: string, name: string): Promise<Collection> {
    const record = await this.collections.rename(this.collections.get(id).id, name);
    this.options.emit('library.changed', { reason: 'collection-renamed' });
    return this.describeCollection(record.id);
  }

  async deleteCollection(id: string): Promise<{ removed: boolean }> {
    const record = this.collections.find(id);
    if (!record) return { removed: false };
    for (const entry of this.queue.all()) {
      if (entry.collectionId === record.id && !isFinished(entry.state)) {
        if (this.current?.entry === entry) this.current.controller.abort();
        else this.finish(entry, 'skipped', 'collection deleted');
      }
    }
    for (const watch of this.watches.all().filter((w) => w.collectionId === record.id))
      await this.unwatch(watch.path);
    const index = await this.readIndex();
    if (index) {
      const documents = await index.listDocuments([record.id]);
      await index.deleteDocuments(documents.map((d) => d.id));
      for (const d of documents) if (this.isUpload(d.path)) await rm(d.path, { force: true });
    }
    await this.collections.remove(record.id);
    this.options.emit('library.changed', { reason: 'collection-deleted' });
    return { removed: true };
  }

  // ---- search ----------------------------------------------------------------------------------

  async search(params: {
    query: string;
    collections?: string[];
    mode?: SearchMode;
    limit?: number;
  }): Promise<Passage[]> {
    const index = await this.ensureIndex();
    const embedder = this.requireEmbedder();
    const mode = params.mode ?? 'hybrid';
    const limit = params.limit ?? 10;
    const collectionIds = params.collections?.map((ref) => this.collections.get(ref).id);
    let hits: ChunkHit[];
    if (mode === 'text') hits = await index.textSearch(params.query, limit, collectionIds);
    else {
      const [vector] = await embedder.embed([params.query]);
      hits =
        mode === 'vector'
          ? await index.vectorSearch(vector!, limit, collectionIds)
          : await index.hybridSearch(vector!, params.query, limit, collectionIds);
    }
    const documents = await index.getDocuments([...new Set(hits.map((h) => h.doc_id))]);
    return hits
      .filter((hit) => documents.has(hit.doc_id))
      .map((hit) => toPassage(hit, documents.get(hit.doc_id)!, params.query));
  }

  // ---- grounded answers (issue 5) ----------------------------------------------------------------

  /** A collection by id or name, or undefined (deleted). */
  findCollection(ref: string): { id: string; name: string } | undefined {
    const record = this.collections.find(ref);
    return record ? { id: record.id, name: record.name } : undefined;
  }

  /** A chat's own collection: the one this conversation owns, created (with `name`) when it has none. */
  async ensureOwnCollection(conversationId: string, name: string): Promise<{ id: string; name: string }> {
    const record =
      this.collections.list().find((c) => c.ownerConversationId === conversationId) ??
      this.collections.find(name) ??
      (await this.collections.create(name, conversationId));
    this.options.emit('library.changed', { reason: 'collection-created' });
    return { id: record.id, name: record.name };
  }

  async document(documentId: string): Promise<LibraryDocument | undefined> {
    const index = await this.readIndex();
    const row = await index?.getDocument(documentId);
    return row ? toLibraryDocument(row) : undefined;
  }

  /** Passages by chunk id (missing ones are left out), or every passage of a document in order. */
  async passages(where: { documentId: string } | { chunkIds: readonly string[] }): Promise<Passage[]> {
    const index = await this.readIndex();
    if (!index) return [];
    const hits = await index.chunks(
      'documentId' in where ? { docId: where.documentId } : { ids: where.chunkIds },
    );
    const documents = new Map<string, DocumentRow | undefined>();
    const passages: Passage[] = [];
    for (const hit of hits) {
      if (!documents.has(hit.doc_id)) documents.set(hit.doc_id, await index.getDocument(hit.doc_id));
      const document = documents.get(hit.doc_id);
      if (document) passages.push(toPassage(hit, document, ''));
    }
    return passages;
  }

  private runOptimize(): void {
    if (this.disposed || !this.index) return;
    this.optimizing ??= this.index
      .optimize()
      .catch((error: unknown) => this.options.log?.(`library: optimize: ${String(error)}`))
      .finally(() => {
        this.optimizing = undefined;
      });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.optimizeTimer);
    clearInterval(this.retryTimer);
    this.current?.controller.abort();
    for (const wake of this.resumeWaiters) wake();
    await this.running?.catch(() => undefined);
    await this.queue.persist();
    await this.resumingWatches;
    await this.retrying;
    await this.watcher.dispose();
    await this.watches.dispose();
    this.wakeIdle();
    await this.opening?.catch(() => undefined);
    // Closing tables under a running optimize() crashes the native side.
    await this.optimizing;
    await this.index?.close();
    await this.options.parser.dispose();
    await this.embedder?.dispose();
  }

  /** Local API (issue 8): the library's embedding model serves /v1/embeddings too. */
  get embeddingModel(): Embedder | undefined {
    return this.disposed ? undefined : this.options.embedder;
  }
}

function toPassage(hit: ChunkHit, document: DocumentRow, query: string): Passage {
  return {
    chunkId: hit.id,
    documentId: hit.doc_id,
    documentName: document.name,
    path: document.path,
    collectionId: hit.collection_id,
    text: hit.text,
    ...(hit.page !== null ? { page: hit.page } : {}),
    headingPath: JSON.parse(hit.heading_path) as string[],
    charStart: hit.char_start,
    charEnd: hit.char_end,
    score: hit.score,
    highlights: query ? highlightRanges(hit.text, query) : [],
  };
}

function toLibraryDocument(row: DocumentRow): LibraryDocument {
  return {
    id: row.id,
    collectionId: row.collection_id,
    name: row.name,
    path: row.path,
    kind: row.kind,
    sizeBytes: row.size_bytes,
    contentHash: row.content_hash,
    chunkCount: row.chunk_count,
    ...(row.page_count !== null ? { pageCount: row.page_count } : {}),
    indexedAt: row.indexed_at,
  };
}
