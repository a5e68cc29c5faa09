/**
 * Small JSON state files (settings, the model registry, download state): written atomically
 * (a temporary file in the same folder, then rename), so a crash never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // User-only (issue 7), like the data folder around it.
    await writeFile(temp, data, { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The parsed file, or undefined when it is missing or not JSON (a corrupt file starts over). */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One writer at a time per file: each save waits for the previous one. */
export class JsonStore<T> {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  read(): Promise<unknown> {
    return readJsonFile(this.path);
  }

  save(value: T): Promise<void> {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const next = this.chain.then(() => writeFileAtomic(this.path, text));
    this.chain = next.catch(() => undefined);
    return next;
  }
}
