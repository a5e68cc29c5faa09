/**
 * Crash-safe file replacement: the new content goes to a temporary file in the same folder,
 * is flushed to disk (fsync), then renamed over the old file. A reader (or a restart after a
 * kill or power loss) sees either the old content or the new, never half of each.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files carry this suffix; a crash can leave one behind, and opening a store removes it. */
export const TEMP_SUFFIX = '.tmp';

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  // User-only (issue 7): conversations are nobody else's business on a shared machine.
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename itself is durable once the folder's entry is flushed (not possible on Windows).
  if (process.platform !== 'win32') {
    const folder = await open(dirname(path), 'r').catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
  }
}
