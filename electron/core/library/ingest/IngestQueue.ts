/**
 * The ingestion queue's state: every file of the current batch with its state, persisted to
 * <data>/library/queue.json on each change, so a crash or a quit resumes where it stopped.
 * Files that were being read or indexed go back to queued on restart; indexing is idempotent
 * per document, so the retry leaves no duplicates.
 */
import { randomUUID } from 'node:crypto';
import type { IngestItem, IngestOverall, IngestState } from '../../../common/api/contract.js';
import { JsonFile } from '../JsonFile.js';

export interface QueueEntry extends IngestItem {
  sizeBytes: number;
  /** Re-index even when the content hash matches (embedding model changed). */
  force?: boolean;
  /** The file is an upload the library owns (deleted with its document). */
  upload?: boolean;
  attempts: number;
}

interface Persisted {
  paused: boolean;
  items: QueueEntry[];
}

const FINISHED: ReadonlySet<IngestState> = new Set(['ready', 'skipped', 'failed']);

export function isFinished(state: IngestState): boolean {
  return FINISHED.has(state);
}

export class IngestQueue {
  private items: QueueEntry[] = [];
  paused = false;
  private batchStarted = Date.now();

  private constructor(private readonly file: JsonFile<Persisted>) {}

  static async open(path: string): Promise<IngestQueue> {
    const file = new JsonFile<Persisted>(path, () => ({ paused: false, items: [] }));
    const queue = new IngestQueue(file);
    const saved = await file.read();
    queue.paused = saved.paused;
    queue.items = saved.items.map((item) =>
      item.state === 'reading' || item.state === 'indexing'
        ? { ...item, state: 'queued', progress: 0 }
        : item,
    );
    return queue;
  }

  persist(): Promise<void> {
    return this.file.write({ paused: this.paused, items: this.items });
  }

  all(): QueueEntry[] {
    return this.items;
  }

  get(id: string): QueueEntry | undefined {
    return this.items.find((item) => item.id === id);
  }

  hasPending(): boolean {
    return this.items.some((item) => !isFinished(item.state));
  }

  nextQueued(): QueueEntry | undefined {
    return this.items.find((item) => item.state === 'queued');
  }

  /** Adds files; a new batch (nothing pending) first drops the last batch's finished files. */
  add(
    entries: Array<
      Omit<QueueEntry, 'id' | 'state' | 'progress' | 'updatedAt' | 'attempts'> & {
        state?: IngestState;
        reason?: string;
      }
    >,
  ): QueueEntry[] {
    if (!this.hasPending()) {
      this.items = [];
      this.batchStarted = Date.now();
    }
    const now = new Date().toISOString();
    const added = entries.map((entry) => {
      // The same file already waiting in this collection is not queued twice.
      const waiting = this.items.find(
        (item) =>
          item.path === entry.path && item.collectionId === entry.collectionId && !isFinished(item.state),
      );
      if (waiting) return waiting;
      const item: QueueEntry = {
        progress: 0,
        attempts: 0,
        updatedAt: now,
        state: 'queued',
        ...entry,
        id: randomUUID(),
      };
      this.items.push(item);
      return item;
    });
    return added;
  }

  update(item: QueueEntry, change: Partial<QueueEntry>): QueueEntry {
    Object.assign(item, change, { updatedAt: new Date().toISOString() });
    return item;
  }

  clearFinished(): void {
    this.items = this.items.filter((item) => !isFinished(item.state));
  }

  removeWhere(predicate: (item: QueueEntry) => boolean): void {
    this.items = this.items.filter((item) => !predicate(item));
  }

  overall(): IngestOverall {
    const count = (state: IngestState) => this.items.filter((item) => item.state === state).length;
    const totalBytes = this.items.reduce((sum, item) => sum + Math.max(1, item.sizeBytes), 0);
    const doneBytes = this.items.reduce(
      (sum, item) => sum + Math.max(1, item.sizeBytes) * (isFinished(item.state) ? 1 : item.progress),
      0,
    );
    const progress = totalBytes === 0 ? 1 : doneBytes / totalBytes;
    const elapsed = (Date.now() - this.batchStarted) / 1000;
    const overall: IngestOverall = {
      paused: this.paused,
      total: this.items.length,
      queued: count('queued'),
      active: count('reading') + count('indexing'),
      ready: count('ready'),
      skipped: count('skipped'),
      failed: count('failed'),
      progress,
    };
    if (progress > 0.02 && progress < 1 && elapsed > 1)
      overall.etaSeconds = Math.round((elapsed * (1 - progress)) / progress);
    return overall;
  }

  /** The public shape of an entry (no bookkeeping fields). */
  static toItem(entry: QueueEntry): IngestItem {
    const { id, path, name, collectionId, state, reason, documentId, progress, chunkCount, updatedAt } =
      entry;
    return {
      id,
      path,
      name,
      collectionId,
      state,
      progress,
      updatedAt,
      ...(reason !== undefined ? { reason } : {}),
      ...(documentId !== undefined ? { documentId } : {}),
      ...(chunkCount !== undefined ? { chunkCount } : {}),
    };
  }
}
