// Why a watched folder cannot be watched, in the words the Library shows; which paths are inside it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForTests } from '../../../test/support/index.js';
import { folderProblem, isInsideFolder } from './WatchStates.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-watch-states-'));
});

afterAll(async () => {
  await chmod(join(dir, 'locked'), 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

it('says nothing about a readable folder', async () => {
  await mkdir(join(dir, 'notes'));
  expect(await folderProblem(join(dir, 'notes'))).toBeUndefined();
});

it('names a missing folder, and a path that is now a file', async () => {
  expect(await folderProblem(join(dir, 'gone'))).toBe('folder not found (moved or deleted)');
  await writeFile(join(dir, 'was-a-folder'), 'now a file');
  expect(await folderProblem(join(dir, 'was-a-folder'))).toBe('not a folder any more');
  expect(await folderProblem(join(dir, 'was-a-folder', 'below'))).toBe('folder not found (moved or deleted)');
});

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

// Root lists every folder whatever its mode: as root, the check runs in a child process as nobody.
it.skipIf(process.platform === 'win32')('names a folder it may not read', async (context) => {
  await mkdir(join(dir, 'locked'));
  await chmod(join(dir, 'locked'), 0o000);
  if (!isRoot) {
    expect(await folderProblem(join(dir, 'locked'))).toBe('cannot read the folder (permission denied)');
    return;
  }
  await chmod(dir, 0o755);
  const child = spawnSync(
    process.execPath,
    [
      await bundleForTests('test/support/library/folderProblemChild.ts', ['electron/core/library']),
      join(dir, 'locked'),
    ],
    { uid: NOBODY, gid: NOBODY, encoding: 'utf8' },
  );
  if (child.error) {
    console.log(`unreadable-folder case not run: cannot start a process as nobody (${child.error.message})`);
    context.skip();
  }
  expect(child.status, child.stderr).toBe(0);
  expect(JSON.parse(child.stdout)).toBe('cannot read the folder (permission denied)');
  // The same folder, read by root, has no problem: the child really ran as someone else.
  expect(await folderProblem(join(dir, 'locked'))).toBeUndefined();
});

it('counts a path inside a folder by whole names only', () => {
  expect(isInsideFolder('/home/me/notes/a.md', '/home/me/notes')).toBe(true);
  expect(isInsideFolder('/home/me/notes/sub/b.md', '/home/me/notes')).toBe(true);
  expect(isInsideFolder('/home/me/notes-old/a.md', '/home/me/notes')).toBe(false);
  expect(isInsideFolder('/home/me/notes', '/home/me/notes')).toBe(false);
});
