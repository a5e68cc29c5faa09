/**
 * Reads and checks a GGUF file's header without loading the model: the signature, the
 * metadata and tensor table, and that the file is long enough to hold every tensor the
 * header declares (a partial download has a whole header and missing data).
 */
import { open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { ModelInvalidError, ModelNotFoundError } from '../errors/index.js';
import { checkGgufHeader } from './ggufHeaderCheck.js';
import { requiredPartSizes } from './tensorBytes.js';
import { splitPartNames } from './downloads/sources.js';

export interface InspectedModel {
  path: string;
  /** The file at `path`. */
  sizeBytes: number;
  /** Every part of a split model together (= sizeBytes for a one-file model). */
  totalBytes: number;
  info: GgufFileInfo;
}

const GGUF_MAGIC = 'GGUF';

/** Codes that mean "there is no such file" for a path a caller gave (the fuzzer sends absurd ones). */
// ERR_INVALID_ARG_VALUE: Node refuses a path with a NUL byte before asking the disk.
const MISSING_CODES = new Set([
  'ENOENT',
  'ENOTDIR',
  'ENAMETOOLONG',
  'ELOOP',
  'EINVAL',
  'ERR_INVALID_ARG_VALUE',
]);

function isMissing(error: unknown): boolean {
  return MISSING_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** The signature, then (for a GGUF) a bounded walk over the header: see ggufHeaderCheck.ts. */
async function readMagic(path: string, sizeBytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await file.read(magic, 0, 4, 0);
    const text = magic.subarray(0, bytesRead).toString('latin1');
    if (text === GGUF_MAGIC) await checkGgufHeader(file, sizeBytes);
    return text;
  } finally {
    await file.close();
  }
}

function percent(part: number, whole: number): string {
  return `${Math.floor((part / whole) * 100)}%`;
}

export async function inspectModelFile(path: string, signal?: AbortSignal): Promise<InspectedModel> {
  let sizeBytes: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new ModelNotFoundError(`${path} is not a file.`);
    sizeBytes = stats.size;
  } catch (error) {
    if (isMissing(error)) throw new ModelNotFoundError(`No model file at ${path}.`, { cause: error });
    throw error;
  }

  if (sizeBytes === 0) throw new ModelInvalidError('The file is empty.');
  const magic = await readMagic(path, sizeBytes).catch((error: unknown) => {
    if (error instanceof ModelInvalidError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ModelInvalidError(`The file cannot be read (${code}).`, { cause: error });
  });
  if (magic !== GGUF_MAGIC) {
    throw new ModelInvalidError('This is not a GGUF model file (it does not start with the GGUF signature).');
  }

  const partSizes = await splitPartSizes(path, sizeBytes);

  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelInvalidError(`The GGUF header could not be read: ${reason}`, { cause: error });
  }

  // node-llama-cpp reads past the end of a short file without complaint, so compare sizes here.
  const headerEnd = info.infoEndOffset ?? 0;
  if (headerEnd > sizeBytes) {
    throw new ModelInvalidError(
      `The file is truncated: it ends inside its own header (${sizeBytes} of at least ${headerEnd} bytes).`,
    );
  }
  const parts = info.sourceData;
  for (const [part, required] of requiredPartSizes(info.fullTensorInfo ?? [])) {
    const source = parts[part - 1];
    const partPath = source?.type === 'path' ? source.path : path;
    const partSize = partPath === path ? sizeBytes : (await stat(partPath)).size;
    if (partSize < required) {
      const which = parts.length > 1 ? `Part ${part} of this split model` : 'The file';
      throw new ModelInvalidError(
        `${which} is incomplete: it has ${partSize} of ${required} bytes (${percent(partSize, required)}). ` +
          'It may still be downloading, or the download was cut off.',
      );
    }
  }
  if (!info.metadata.general?.architecture) {
    throw new ModelInvalidError('The GGUF header names no model architecture.');
  }
  return { path, sizeBytes, totalBytes: partSizes.reduce((sum, size) => sum + size, 0), info };
}

/**
 * The sizes of a split model's parts (`-00001-of-0000N.gguf`), found by name beside `path`; a
 * missing part is a clear error rather than node-llama-cpp's failed read. [sizeBytes] otherwise.
 */
export async function splitPartSizes(path: string, sizeBytes: number): Promise<number[]> {
  const names = splitPartNames(basename(path));
  if (names.length === 1) return [sizeBytes];
  const sizes = await Promise.all(
    names.map((name) =>
      name === basename(path)
        ? sizeBytes
        : stat(join(dirname(path), name)).then(
            (stats) => (stats.isFile() ? stats.size : undefined),
            () => undefined,
          ),
    ),
  );
  const missing = names.filter((_, index) => sizes[index] === undefined);
  if (missing.length > 0) {
    const which = missing.map((name) => `part ${names.indexOf(name) + 1} (${name})`).join(', ');
    throw new ModelInvalidError(
      `This split model has ${names.length} parts, but ${missing.length === 1 ? 'one is' : `${missing.length} are`} ` +
        `missing: ${which}. Put the missing ${missing.length === 1 ? 'part' : 'parts'} beside the first one, or delete the model.`,
    );
  }
  return sizes.map((size) => size ?? 0);
}
