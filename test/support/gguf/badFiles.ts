/** Broken model files for the "bad input" tests. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Copies the first part of `source` (default: half of it) to `destination`: a truncated GGUF. */
export async function writeTruncatedCopy(
  source: string,
  destination: string,
  keepBytes?: number,
): Promise<string> {
  const bytes = await readFile(source);
  await mkdir(dirname(destination), { recursive: true });
  await writeFile(destination, bytes.subarray(0, keepBytes ?? Math.floor(bytes.length / 2)));
  return destination;
}

/** Writes a file with a `.gguf` name that is not a GGUF at all. */
export async function writeNotAGguf(
  destination: string,
  text = 'This is a text file, not a model.\n',
): Promise<string> {
  await mkdir(dirname(destination), { recursive: true });
  await writeFile(destination, text.repeat(64));
  return destination;
}
