/** sha256 of a file, streamed (models are gigabytes), with progress and cancellation. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export async function sha256File(
  path: string,
  onProgress?: (doneBytes: number, totalBytes: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  let done = 0;
  let lastReport = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    done += bytes.length;
    if (onProgress && (done - lastReport >= 16 << 20 || done === size)) {
      lastReport = done;
      onProgress(done, size);
    }
  }
  if (size === 0) onProgress?.(0, 0);
  return hash.digest('hex');
}
