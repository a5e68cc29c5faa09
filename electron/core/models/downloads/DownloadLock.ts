/**
 * One download of a model at a time across processes sharing a data folder (the app, `hearth
 * serve`, CLI pulls): an exclusive lock file per model, created with O_EXCL and holding the
 * owner's pid and start time. A lock whose pid is no longer running (a killed process) is stale
 * and taken over; two processes taking over at once still race on O_EXCL, so only one wins.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DownloadInProgressElsewhereError } from '../../errors/index.js';

const LockFile = z.object({ pid: z.number().int(), startedAt: z.string() });
export type LockOwner = z.infer<typeof LockFile>;

/** Whether a process with this pid is running (EPERM: it runs, under another user). */
export function isProcessAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface HeldLock {
  /** Removes the lock if it is still ours; calling it again does nothing. */
  release(): Promise<void>;
}

export class DownloadLocks {
  constructor(
    private readonly dir: string,
    private readonly alive: (pid: number) => boolean = isProcessAlive,
  ) {}

  pathOf(key: string): string {
    return join(this.dir, `${encodeURIComponent(key)}.lock`);
  }

  /** The live process holding `key`, if another one does (a stale or unreadable lock counts as free). */
  async holder(key: string): Promise<LockOwner | undefined> {
    const owner = await this.read(this.pathOf(key));
    return owner && owner.pid !== process.pid && this.alive(owner.pid) ? owner : undefined;
  }

  /** Throws DownloadInProgressElsewhereError when another live process holds `key`. */
  async assertFree(key: string, what: string): Promise<void> {
    const owner = await this.holder(key);
    if (owner) throw inProgressElsewhere(what, owner);
  }

  /** Takes the lock for `key` or throws DownloadInProgressElsewhereError naming the holder. */
  async acquire(key: string, what: string): Promise<HeldLock> {
    const path = this.pathOf(key);
    const owner: LockOwner = { pid: process.pid, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const file = await open(path, 'wx');
        try {
          await file.writeFile(JSON.stringify(owner));
        } finally {
          await file.close();
        }
        return { release: () => this.release(path, owner) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await this.read(path);
      if (current && this.alive(current.pid)) throw inProgressElsewhere(what, current);
      // An unreadable lock that is new may be one another process is writing this moment.
      if (!current && (await isRecent(path))) throw inProgressElsewhere(what, undefined);
      // Stale (its process is gone) or left half-written by a process that died: take it over.
      await rm(path, { force: true });
    }
    throw inProgressElsewhere(what, await this.read(path));
  }

  private async release(path: string, owner: LockOwner): Promise<void> {
    // Only our own lock: a stale-lock takeover by another process must not be undone.
    const current = await this.read(path);
    if (current?.pid === owner.pid && current.startedAt === owner.startedAt) await rm(path, { force: true });
  }

  private async read(path: string): Promise<LockOwner | undefined> {
    try {
      const parsed = LockFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

const HALF_WRITTEN_GRACE_MS = 5_000;

async function isRecent(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats !== undefined && Date.now() - stats.mtimeMs < HALF_WRITTEN_GRACE_MS;
}

function inProgressElsewhere(what: string, owner: LockOwner | undefined): DownloadInProgressElsewhereError {
  const since = owner ? ` (process ${owner.pid}, since ${owner.startedAt})` : '';
  return new DownloadInProgressElsewhereError(
    `${what} is already being downloaded by another Hearth window or process${since}. ` +
      'Wait for it to finish there, or close that one and resume here.',
  );
}
