/**
 * Keeps added folders in sync (chokidar): a new or changed file is queued for (re-)indexing, a
 * deleted file or folder leaves the index. Events for one path are debounced together.
 */
import { watch, type FSWatcher } from 'chokidar';
import { basename } from 'node:path';

export type WatchChange = { kind: 'upsert'; path: string } | { kind: 'remove'; path: string };

export interface FolderWatcherOptions {
  debounceMs: number;
  onChanges(folder: string, changes: WatchChange[]): void;
  /** A change was noticed and waits for the debounce (the folder is syncing). */
  onNoticed?(folder: string): void;
  /** The watched folder itself was deleted or moved away. */
  onFolderGone?(folder: string): void;
  log?: (line: string) => void;
}

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Map<string, Map<string, WatchChange>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: FolderWatcherOptions) {}

  /** Resolves once the watcher has scanned the folder and reports changes. */
  async add(folder: string): Promise<void> {
    if (this.watchers.has(folder)) return;
    const watcher = watch(folder, {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path: string) => basename(path).startsWith('.') || basename(path) === 'node_modules',
      // A file still being written is reported once it stops growing.
      awaitWriteFinish: { stabilityThreshold: Math.min(500, this.options.debounceMs), pollInterval: 50 },
    });
    this.watchers.set(folder, watcher);
    watcher
      .on('add', (path) => this.note(folder, { kind: 'upsert', path }))
      .on('change', (path) => this.note(folder, { kind: 'upsert', path }))
      .on('unlink', (path) => this.note(folder, { kind: 'remove', path }))
      .on('unlinkDir', (path) => this.note(folder, { kind: 'remove', path }))
      .on('error', (error) => this.options.log?.(`library: watching ${folder}: ${String(error)}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  /** Paths of changes noticed in `folder` and not yet handed on (debouncing). */
  pendingPaths(folder: string): Iterable<string> {
    return this.pending.get(folder)?.keys() ?? [];
  }

  private note(folder: string, change: WatchChange): void {
    if (change.kind === 'remove' && change.path === folder) this.options.onFolderGone?.(folder);
    const changes = this.pending.get(folder) ?? new Map<string, WatchChange>();
    changes.set(change.path, change);
    this.pending.set(folder, changes);
    this.options.onNoticed?.(folder);
    clearTimeout(this.timers.get(folder));
    this.timers.set(
      folder,
      setTimeout(() => {
        this.timers.delete(folder);
        const batch = [...(this.pending.get(folder)?.values() ?? [])];
        this.pending.delete(folder);
        if (batch.length > 0) this.options.onChanges(folder, batch);
      }, this.options.debounceMs),
    );
  }

  async remove(folder: string): Promise<boolean> {
    const watcher = this.watchers.get(folder);
    if (!watcher) return false;
    this.watchers.delete(folder);
    clearTimeout(this.timers.get(folder));
    this.timers.delete(folder);
    this.pending.delete(folder);
    await watcher.close();
    return true;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.watchers.keys()].map((folder) => this.remove(folder)));
  }
}
