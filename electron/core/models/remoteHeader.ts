/**
 * Reads a remote GGUF's header from the first bytes of the file (HTTP range requests through the
 * one network module), without downloading the model: enough for GgufInsights' fit estimate.
 * The bytes go to a temporary file that node-llama-cpp parses; a header longer than what was
 * fetched is fetched again, larger.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { HearthError } from '../../common/api/errors.js';
import { DownloadFailedError, ModelInvalidError } from '../errors/index.js';
import type { Network } from '../net/network.js';

const FIRST_BYTES = 4 * 1024 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;

/** A remote file and the user's action behind reading it (shown in the network ledger). */
export interface RemoteFile {
  network: Network;
  url: string;
  /** e.g. "fit check: Qwen3 4B Q4_K_M". */
  description: string;
}

async function fetchPrefix(
  { network, url, description }: RemoteFile,
  bytes: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const response = await network.request({
    url,
    purpose: 'model-header',
    description,
    headers: { range: `bytes=0-${bytes - 1}` },
    signal,
  });
  if (response.status !== 206 && response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadFailedError(`The server answered ${response.status} for ${url}.`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  if (response.body) {
    const reader = response.body.getReader();
    // A server that ignores the range sends the whole file: stop reading once we have enough.
    while (length < bytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      length += value.length;
    }
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/**
 * Runs `use` on the remote file's header info while its bytes are still on disk (node-llama-cpp's
 * insights read the header file again).
 */
export async function withRemoteGgufInfo<T>(
  file: RemoteFile,
  use: (info: GgufFileInfo) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'hearth-header-'));
  try {
    for (let size = FIRST_BYTES; ; size *= 2) {
      const prefix = await fetchPrefix(file, size, signal);
      if (prefix.subarray(0, 4).toString('latin1') !== 'GGUF') {
        throw new ModelInvalidError(`${file.url} is not a GGUF file.`);
      }
      const path = join(dir, 'header.gguf');
      await writeFile(path, prefix);
      const complete = prefix.length < size; // the whole file was shorter than asked for
      try {
        const info = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false, signal });
        if ((info.infoEndOffset ?? 0) <= prefix.length) return await use(info);
      } catch (error) {
        if (error instanceof HearthError || complete || size * 2 > MAX_BYTES) throw error;
        continue;
      }
      if (complete || size * 2 > MAX_BYTES) {
        throw new ModelInvalidError(`The header of ${file.url} is larger than ${MAX_BYTES} bytes.`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
