/**
 * A bounded walk over a GGUF header before node-llama-cpp reads it. node-llama-cpp trusts the counts
 * and lengths it finds: a header claiming 2^63 tensors made it loop for minutes (found by the
 * malformed-header tests). This walk checks the version, that every count and length fits in the
 * bytes the file really has, that value types are known and tensors have at most 4 dimensions, and
 * reads the file in chunks so a huge vocabulary costs no more than its size.
 */
import type { FileHandle } from 'node:fs/promises';
import { ModelInvalidError } from '../errors/index.js';

const SUPPORTED_VERSIONS = new Set([2, 3]);
const STRING = 8;
const ARRAY = 9;
const FIXED_SIZES: ReadonlyMap<number, number> = new Map([
  [0, 1],
  [1, 1],
  [2, 2],
  [3, 2],
  [4, 4],
  [5, 4],
  [6, 4],
  [7, 1],
  [10, 8],
  [11, 8],
  [12, 8],
]);
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
const CHUNK = 1 << 20;

class HeaderReader {
  private chunk = Buffer.alloc(0);
  private chunkStart = 0;
  at = 0;

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
  ) {}

  private async ensure(bytes: number): Promise<void> {
    if (this.at + bytes > this.size) {
      throw new ModelInvalidError(
        `The file is truncated or its GGUF header is damaged: the header runs past the end (${this.size} bytes).`,
      );
    }
    if (this.at >= this.chunkStart && this.at + bytes <= this.chunkStart + this.chunk.length) return;
    const length = Math.min(Math.max(bytes, CHUNK), this.size - this.at);
    const buffer = Buffer.alloc(length);
    await this.file.read(buffer, 0, length, this.at);
    this.chunk = buffer;
    this.chunkStart = this.at;
  }

  async u32(): Promise<number> {
    await this.ensure(4);
    const value = this.chunk.readUInt32LE(this.at - this.chunkStart);
    this.at += 4;
    return value;
  }

  /** A u64 that must be at most `limit` (a count or a length that has to fit in the file). */
  async u64(limit: number, what: string): Promise<number> {
    await this.ensure(8);
    const value = this.chunk.readBigUInt64LE(this.at - this.chunkStart);
    this.at += 8;
    if (value > BigInt(limit)) {
      throw new ModelInvalidError(
        `The file is truncated or its GGUF header is damaged: it declares ${value} ${what}, more than the rest of the file can hold.`,
      );
    }
    return Number(value);
  }

  /** Skips `bytes` that must lie inside the file. */
  skip(bytes: number): void {
    if (this.at + bytes > this.size) {
      throw new ModelInvalidError(
        `The file is truncated or its GGUF header is damaged: the header runs past the end (${this.size} bytes).`,
      );
    }
    this.at += bytes;
  }

  remaining(): number {
    return this.size - this.at;
  }
}

async function skipString(reader: HeaderReader, what: string): Promise<void> {
  reader.skip(await reader.u64(reader.remaining(), `bytes in ${what}`));
}

async function skipValue(reader: HeaderReader, type: number, depth: number): Promise<void> {
  if (type === STRING) return skipString(reader, 'a string value');
  if (type === ARRAY) {
    if (depth > 2) throw new ModelInvalidError('The GGUF header is damaged: arrays nested too deep.');
    const itemType = await reader.u32();
    const itemSize = FIXED_SIZES.get(itemType);
    if (itemSize === undefined && itemType !== STRING && itemType !== ARRAY) {
      throw new ModelInvalidError(`The GGUF header is damaged: unknown array item type ${itemType}.`);
    }
    // Every item takes at least one byte (a string at least its 8-byte length).
    const minItem = itemSize ?? 8;
    const count = await reader.u64(Math.floor(reader.remaining() / minItem), 'array items');
    if (itemSize !== undefined) return reader.skip(count * itemSize);
    for (let i = 0; i < count; i++) await skipValue(reader, itemType, depth + 1);
    return;
  }
  const size = FIXED_SIZES.get(type);
  if (size === undefined)
    throw new ModelInvalidError(`The GGUF header is damaged: unknown value type ${type}.`);
  reader.skip(size);
}

/** Throws ModelInvalidError unless the header at the start of `file` (of `size` bytes) is sane. */
export async function checkGgufHeader(file: FileHandle, size: number): Promise<void> {
  const reader = new HeaderReader(file, size);
  reader.skip(4); // the magic, checked by the caller
  const version = await reader.u32();
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw new ModelInvalidError(`Unsupported GGUF version ${version} (Hearth reads versions 2 and 3).`);
  }
  // The smallest tensor info is 8 + 1 + 4 + 8 + 4 + 8 bytes; the smallest key-value 8 + 1 + 4 + 1.
  const tensors = await reader.u64(Math.floor(size / 33), 'tensors');
  const keyValues = await reader.u64(Math.floor(size / 14), 'key-values');
  for (let i = 0; i < keyValues; i++) {
    await skipString(reader, 'a key');
    await skipValue(reader, await reader.u32(), 0);
  }
  for (let i = 0; i < tensors; i++) {
    await skipString(reader, 'a tensor name');
    const dims = await reader.u32();
    if (dims < 1 || dims > MAX_DIMS) {
      throw new ModelInvalidError(`The GGUF header is damaged: a tensor with ${dims} dimensions.`);
    }
    reader.skip(8 * dims + 4 + 8);
  }
}
