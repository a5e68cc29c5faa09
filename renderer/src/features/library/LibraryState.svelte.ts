/**
 * What the window knows about the library: the ingestion queue with its progress, the collections and
 * their documents, and the watched folders. Kept in step with the core through `library.progress` (per
 * file, throttled by the core), `library.watch` (a watched folder's sync state) and `library.changed`
 * (lists changed), and re-read after a reconnect.
 */
import type {
  Collection,
  IngestItem,
  IngestOverall,
  LibraryDocument,
  LibraryStatus,
  WatchedFolder,
} from '../../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';
import type { Intake } from './droppedFiles.js';
import { uploadAll, type Uploader } from './uploader.js';

/** Upload progress of a browser drop, before the core has queued the files. */
export interface UploadProgress {
  done: number;
  total: number;
}

const emptyOverall: IngestOverall = {
  paused: false,
  total: 0,
  queued: 0,
  active: 0,
  ready: 0,
  skipped: 0,
  failed: 0,
  progress: 0,
};

const finished = new Set<IngestItem['state']>(['ready', 'skipped', 'failed']);

export function isFinished(item: IngestItem): boolean {
  return finished.has(item.state);
}

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export class LibraryState {
  overall = $state.raw<IngestOverall>(emptyOverall);
  items = $state.raw<readonly IngestItem[]>([]);
  embeddingModel = $state.raw<LibraryStatus['embeddingModel']>(null);
  collections = $state.raw<readonly Collection[]>([]);
  documents = $state.raw<readonly LibraryDocument[]>([]);
  /** The collection whose documents are shown; null for every document. */
  selectedCollectionId = $state<string | null>(null);
  uploading = $state.raw<UploadProgress | null>(null);
  /** True once the first status and lists arrived, so empty states do not flash while they load. */
  ready = $state(false);
  error = $state.raw<RemoteError | null>(null);
  /** Each watched folder's sync state, as the core reports it. */
  watchedFolders = $state.raw<readonly WatchedFolder[]>([]);

  /** Files still to do (queued or being read or indexed). */
  pendingCount = $derived(this.items.filter((item) => !isFinished(item)).length);
  busy = $derived(this.pendingCount > 0 || this.uploading !== null);
  /**
   * Counts and progress over the files listed (the core's own `overall` covers only the current batch,
   * while the list keeps earlier batches' files until cleared): the bar and the words match the list.
   */
  listed = $derived.by<IngestOverall>(() => {
    const counts = { queued: 0, active: 0, ready: 0, skipped: 0, failed: 0 };
    let progress = 0;
    for (const item of this.items) {
      if (item.state === 'reading' || item.state === 'indexing') counts.active += 1;
      else counts[item.state] += 1;
      progress += isFinished(item)
        ? 1
        : item.state === 'queued'
          ? 0
          : Math.min(1, Math.max(0, item.progress));
    }
    const total = this.items.length;
    return {
      ...counts,
      total,
      paused: this.overall.paused,
      progress: total > 0 ? progress / total : 0,
      ...(this.overall.etaSeconds !== undefined ? { etaSeconds: this.overall.etaSeconds } : {}),
    };
  });
  selectedCollection = $derived(
    this.collections.find((collection) => collection.id === this.selectedCollectionId) ?? null,
  );

  private readonly api: HearthClient;
  private readonly uploader: Uploader | null;
  private documentsRequest = 0;
  private collectionsRequest = 0;
  private changedTimer: ReturnType<typeof setTimeout> | undefined;

  /** `uploader` is how a browser sends file contents to the host; null inside Electron (paths only). */
  constructor(api: HearthClient, uploader: Uploader | null) {
    this.api = api;
    this.uploader = uploader;
  }

  /** Subscribes to the core's changes; returns the unsubscribe function. */
  start(): () => void {
    const stopProgress = this.api.on('library.progress', ({ item, overall }) => {
      this.overall = overall;
      this.upsertItem(item);
      if (item.state === 'ready') this.refreshListsSoon();
    });
    const stopChanged = this.api.on('library.changed', () => this.refreshListsSoon());
    const stopWatch = this.api.on('library.watch', (folder) => this.upsertWatched(folder));
    const stopConnection = this.api.onConnection((state) => {
      if (state === 'open' && this.ready) void this.refresh();
    });
    void this.refresh();
    return () => {
      stopProgress();
      stopChanged();
      stopWatch();
      stopConnection();
      clearTimeout(this.changedTimer);
    };
  }

  async refresh(): Promise<void> {
    await this.run(async () => {
      const [status] = await Promise.all([this.api.call('library.status', {}), this.loadCollections()]);
      this.applyStatus(status);
      const collections = this.collections;
      if (this.selectedCollectionId && !collections.some((c) => c.id === this.selectedCollectionId)) {
        this.selectedCollectionId = null;
      }
      await this.loadDocuments();
      this.ready = true;
    });
  }

  selectCollection(collectionId: string | null): void {
    this.selectedCollectionId = collectionId;
    void this.run(() => this.loadDocuments());
  }

  /**
   * Adds what was dropped or picked to the selected collection (or the default one). Paths go straight
   * to the core, folders kept in sync; browser files are uploaded first, one at a time.
   */
  async add(intake: Intake): Promise<void> {
    const collection = this.selectedCollectionId ?? undefined;
    await this.run(async () => {
      if (intake.paths.length > 0) {
        const added = await this.api.call('library.add', { paths: intake.paths, collection, watch: true });
        this.track(added.queued);
      }
      if (intake.files.length > 0) {
        if (!this.uploader) throw new Error('This window cannot upload files.');
        try {
          const uploads = await uploadAll(this.uploader, intake.files, (done, total) => {
            this.uploading = { done, total };
          });
          const added = await this.api.call('library.add', { uploads, collection });
          this.track(added.queued);
        } finally {
          this.uploading = null;
        }
      }
    });
  }

  pause = () => this.statusCall(() => this.api.call('library.pause', {}));
  resume = () => this.statusCall(() => this.api.call('library.resume', {}));
  cancelAll = () => this.statusCall(() => this.api.call('library.cancel', {}));
  cancelItem = (itemId: string) => this.statusCall(() => this.api.call('library.cancel', { itemId }));
  clearFinished = () => this.statusCall(() => this.api.call('library.clearFinished', {}));

  async createCollection(name: string): Promise<Collection | null> {
    let created: Collection | null = null;
    await this.run(async () => {
      created = await this.api.call('collections.create', { name });
      await this.loadCollections();
      this.selectCollection(created.id);
    });
    return created;
  }

  async renameCollection(collectionId: string, name: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.call('collections.rename', { collectionId, name });
      await this.loadCollections();
    });
  }

  async deleteCollection(collectionId: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.call('collections.delete', { collectionId });
      if (this.selectedCollectionId === collectionId) this.selectedCollectionId = null;
      await this.loadCollections();
      await this.loadDocuments();
    });
  }

  async removeDocument(documentId: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.call('library.removeDocument', { documentId });
      this.documents = this.documents.filter((document) => document.id !== documentId);
      await this.loadCollections();
    });
  }

  /** Watches a folder again (after it was missing or unreadable): the core checks it afresh. */
  async rewatch(folder: WatchedFolder): Promise<boolean> {
    return this.run(async () => {
      const added = await this.api.call('library.add', {
        paths: [folder.path],
        collection: folder.collectionId,
        watch: true,
      });
      for (const item of added.queued) this.upsertItem(item);
      this.applyStatus(await this.api.call('library.status', {}));
    });
  }

  async unwatch(path: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.call('library.unwatch', { path });
      this.applyStatus(await this.api.call('library.status', {}));
    });
  }

  /**
   * Lists files just queued (the answer of `library.add`, or of `chat.addFiles` for a chat's own
   * collection). A small file can be indexed before that answer arrives: its progress broadcasts,
   * always newer than the answer, then already listed it, and the answer must not set it back.
   */
  track(items: readonly IngestItem[]): void {
    for (const item of items) {
      if (!this.items.some((existing) => existing.id === item.id)) this.items = [...this.items, item];
    }
  }

  collectionName(collectionId: string): string {
    return this.collections.find((collection) => collection.id === collectionId)?.name ?? '';
  }

  dismissError(): void {
    this.error = null;
  }

  private applyStatus(status: LibraryStatus): void {
    this.overall = status.overall;
    this.items = status.items;
    this.embeddingModel = status.embeddingModel;
    this.watchedFolders = status.watchedFolders;
  }

  /** A folder's new state (the core only reports folders it watches). */
  private upsertWatched(folder: WatchedFolder): void {
    const index = this.watchedFolders.findIndex((known) => known.path === folder.path);
    if (index < 0) {
      // A folder added in another window: the status has it too.
      this.watchedFolders = [...this.watchedFolders, folder];
      return;
    }
    const next = this.watchedFolders.slice();
    next[index] = folder;
    this.watchedFolders = next;
  }

  private upsertItem(item: IngestItem): void {
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index < 0) {
      this.items = [...this.items, item];
      return;
    }
    const next = this.items.slice();
    next[index] = item;
    this.items = next;
  }

  /**
   * Reads the collections. Only the newest answer counts: the first refresh's list, slow while the
   * embedding model loads, must not replace a newer one that already has a just-created collection.
   */
  private async loadCollections(): Promise<void> {
    const request = ++this.collectionsRequest;
    const collections = await this.api.call('collections.list', {});
    if (request === this.collectionsRequest) this.collections = collections;
  }

  private async loadDocuments(): Promise<void> {
    const request = ++this.documentsRequest;
    const collection = this.selectedCollectionId ?? undefined;
    const documents = await this.api.call('library.documents', collection ? { collection } : {});
    // A slower answer for a collection no longer selected must not replace the newer one.
    if (request === this.documentsRequest) this.documents = documents;
  }

  /** Documents land in bursts while a batch runs: refresh the lists at most a few times a second. */
  private refreshListsSoon(): void {
    if (this.changedTimer !== undefined) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = undefined;
      void this.run(async () => {
        await this.loadCollections();
        await this.loadDocuments();
      });
    }, 300);
  }

  private async statusCall(call: () => Promise<LibraryStatus>): Promise<boolean> {
    return this.run(async () => this.applyStatus(await call()));
  }

  /** Runs a step, keeping its error for the view; true when it succeeded. */
  private async run(step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code !== ErrorCode.Disconnected && remote.code !== ErrorCode.Cancelled) this.error = remote;
      return false;
    }
  }
}
