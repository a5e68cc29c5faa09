/**
 * The watched folders and where each stands: scanning (checking for changes made while Hearth was
 * closed), syncing (files noticed, queued or being indexed), synced (up to date, and since when), or
 * error (missing, not a folder, unreadable). Kept in <data>/library/watches.json with the time each
 * folder was last up to date; every change of state is broadcast as `library.watch`.
 */
import { readdir, stat } from 'node:fs/promises';
import type { WatchedFolder } from '../../common/api/contract.js';
import { JsonFile } from './JsonFile.js';

export interface WatchRecord {
  path: string;
  collectionId: string;
  lastSyncedAt?: string;
}

interface Condition {
  scanning: boolean;
  error?: string;
  /** Work was seen since the folder was last up to date: the next "synced" records the time. */
  worked: boolean;
}

export interface WatchStatesOptions {
  file: JsonFile<WatchRecord[]>;
  /** Files of the folder noticed, queued or being indexed, counted by the library. */
  pendingOf(record: WatchRecord): number;
  emit(folder: WatchedFolder): void;
  /** How long state changes are gathered before they are broadcast. */
  coalesceMs?: number;
}

/** Whether a file path lies inside a folder. */
export function isInsideFolder(path: string, folder: string): boolean {
  if (!path.startsWith(folder)) return false;
  const next = path.charAt(folder.length);
  return next === '/' || next === '\\';
}

/** Why a folder cannot be watched, in words for the user; undefined when it can. */
export async function folderProblem(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isDirectory()) return 'not a folder any more';
    await readdir(path);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'folder not found (moved or deleted)';
    if (code === 'EACCES' || code === 'EPERM') return 'cannot read the folder (permission denied)';
    return `cannot read the folder: ${(error as Error).message}`;
  }
}

export class WatchStates {
  private records: WatchRecord[] = [];
  private readonly conditions = new Map<string, Condition>();
  private readonly emitted = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  private constructor(private readonly options: WatchStatesOptions) {}

  static async open(options: WatchStatesOptions): Promise<WatchStates> {
    const states = new WatchStates(options);
    states.records = await options.file.read();
    return states;
  }

  all(): WatchRecord[] {
    return [...this.records];
  }

  find(path: string): WatchRecord | undefined {
    return this.records.find((record) => record.path === path);
  }

  async add(record: WatchRecord): Promise<void> {
    this.records.push(record);
    this.condition(record.path).worked = true;
    await this.options.file.write(this.records);
  }

  async remove(path: string): Promise<boolean> {
    const before = this.records.length;
    this.records = this.records.filter((record) => record.path !== path);
    this.conditions.delete(path);
    this.emitted.delete(path);
    await this.options.file.write(this.records);
    return this.records.length !== before;
  }

  private condition(path: string): Condition {
    let condition = this.conditions.get(path);
    if (!condition) {
      condition = { scanning: false, worked: false };
      this.conditions.set(path, condition);
    }
    return condition;
  }

  /** Changes what is known about a folder; its state is broadcast shortly. */
  mark(path: string, change: Partial<Omit<Condition, 'worked'>>): void {
    const condition = this.condition(path);
    Object.assign(condition, change);
    if (!('error' in change) || change.error === undefined) condition.worked = true;
    this.changed();
  }

  /** Something about the folders' files changed (queue progress, a noticed change): re-check soon. */
  changed(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.broadcast();
    }, this.options.coalesceMs ?? 100);
  }

  /** Notes work on every folder that holds `path`. */
  touch(path: string): void {
    let touched = false;
    for (const record of this.records) {
      if (isInsideFolder(path, record.path)) {
        this.condition(record.path).worked = true;
        touched = true;
      }
    }
    if (touched) this.changed();
  }

  describe(record: WatchRecord): WatchedFolder {
    const condition = this.conditions.get(record.path);
    const pending = this.options.pendingOf(record);
    const state = condition?.error
      ? 'error'
      : condition?.scanning
        ? 'scanning'
        : pending > 0
          ? 'syncing'
          : 'synced';
    return {
      path: record.path,
      collectionId: record.collectionId,
      state,
      pending,
      ...(record.lastSyncedAt ? { lastSyncedAt: record.lastSyncedAt } : {}),
      ...(condition?.error ? { reason: condition.error } : {}),
    };
  }

  list(): WatchedFolder[] {
    return this.records.map((record) => this.describe(record));
  }

  /** Records "up to date now" where work finished, and broadcasts every folder whose state changed. */
  private async broadcast(): Promise<void> {
    let stamped = false;
    for (const record of this.records) {
      const condition = this.conditions.get(record.path);
      if (condition?.worked && this.describe(record).state === 'synced') {
        condition.worked = false;
        record.lastSyncedAt = new Date().toISOString();
        stamped = true;
      }
    }
    if (stamped) await this.options.file.write(this.records).catch(() => undefined);
    if (this.disposed) return;
    for (const record of this.records) {
      const folder = this.describe(record);
      const key = JSON.stringify(folder);
      if (this.emitted.get(record.path) === key) continue;
      this.emitted.set(record.path, key);
      this.options.emit(folder);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    // A folder that became up to date just before quitting records it (nothing is broadcast now).
    await this.broadcast();
    await this.options.file.flush();
  }
}
