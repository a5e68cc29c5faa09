import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadLocks } from './DownloadLock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('download locks', () => {
  it('holds one lock per model with its pid and start time; a second taker is refused until release', async () => {
    const locks = new DownloadLocks(dir);
    const held = await locks.acquire('m.gguf', 'M');
    const owner = JSON.parse(await readFile(locks.pathOf('m.gguf'), 'utf8')) as { pid: number };
    expect(owner.pid).toBe(process.pid);
    await expect(new DownloadLocks(dir).acquire('m.gguf', 'M')).rejects.toMatchObject({
      code: 'DOWNLOAD_IN_PROGRESS_ELSEWHERE',
    });
    await held.release();
    expect(await readdir(dir)).toEqual([]);
    await (await locks.acquire('m.gguf', 'M')).release();
  });

  it('takes over a lock whose process is gone, and an old half-written one, but not a fresh half-written one', async () => {
    const dead = new DownloadLocks(dir, (pid) => pid !== 999_999);
    await writeFile(
      dead.pathOf('a.gguf'),
      JSON.stringify({ pid: 999_999, startedAt: '2026-01-01T00:00:00Z' }),
    );
    expect(await dead.holder('a.gguf')).toBeUndefined();
    const taken = await dead.acquire('a.gguf', 'A');
    await taken.release();

    await writeFile(dead.pathOf('b.gguf'), '');
    await expect(dead.acquire('b.gguf', 'B')).rejects.toMatchObject({
      code: 'DOWNLOAD_IN_PROGRESS_ELSEWHERE',
    });
    await utimes(dead.pathOf('b.gguf'), new Date(0), new Date(0));
    await (await dead.acquire('b.gguf', 'B')).release();
  });

  it('never releases a lock another process took over', async () => {
    const locks = new DownloadLocks(dir);
    const held = await locks.acquire('c.gguf', 'C');
    const other = JSON.stringify({ pid: process.pid + 1, startedAt: new Date().toISOString() });
    await writeFile(locks.pathOf('c.gguf'), other);
    await held.release();
    expect(await readFile(locks.pathOf('c.gguf'), 'utf8')).toBe(other);
  });
});
