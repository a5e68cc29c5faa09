/**
 * The data folder is the user's alone: created 0700 (an existing one is tightened to 0700), and the
 * files Hearth writes through writeFileAtomic and the ledger are 0600. On Windows the mode bits do
 * little; the folder sits in the user's own profile (%APPDATA%), which is user-only by default.
 */
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;

export async function ensurePrivateDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dataDir, PRIVATE_DIR_MODE);
}

/**
 * Removes every entry of the data folder except those named in `keep`; returns what was removed.
 * The folder itself stays (an app holding it open keeps working) and is left user-only.
 */
export async function removeDataFolderContents(dataDir: string, keep: readonly string[]): Promise<string[]> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.sort()) {
    if (keep.includes(name)) continue;
    await rm(join(dataDir, name), { recursive: true, force: true, maxRetries: 3 });
    removed.push(name);
  }
  await ensurePrivateDataDir(dataDir);
  return removed;
}
