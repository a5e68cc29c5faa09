/**
 * Malformed GGUF files for the hostile-input tests: hand-made headers with a bad magic, a bad
 * version, absurd tensor and key counts, absurd string and array lengths, unknown value types; and
 * the section boundaries of a real GGUF, so a test can cut it short at every section.
 * Layout (ggml's gguf spec): magic "GGUF", u32 version, u64 tensor count, u64 key-value count; each
 * key-value is a string key (u64 length + bytes), a u32 type and a value; each tensor info is a
 * string name, u32 dimension count, u64 per dimension, u32 ggml type, u64 data offset.
 */

const STRING = 8;
const ARRAY = 9;
/** Byte size of the fixed-size value types, by type id (0-7, 10-12). */
const FIXED_SIZES: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

/** Little-endian bytes, appended. */
class Bytes {
  private parts: Buffer[] = [];
  raw(bytes: Buffer | string): this {
    this.parts.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    return this;
  }
  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return this.raw(b);
  }
  u64(value: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    return this.raw(b);
  }
  str(text: string, declaredLength?: bigint | number): this {
    return this.u64(declaredLength ?? Buffer.byteLength(text)).raw(Buffer.from(text, 'utf8'));
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const header = (tensors: bigint | number, kvs: bigint | number, version = 3) =>
  new Bytes().raw('GGUF').u32(version).u64(tensors).u64(kvs);

const HUGE = 2n ** 63n - 1n;

/** Named hostile files, each small. */
export function hostileGgufHeaders(): Array<[name: string, bytes: Buffer]> {
  const kv = (bytes: Bytes) => bytes.str('general.architecture').u32(STRING).str('llama');
  return [
    ['empty file', Buffer.alloc(0)],
    ['three bytes', Buffer.from('GGU', 'latin1')],
    ['lower-case magic', new Bytes().raw('gguf').u32(3).u64(0).u64(0).done()],
    ['GGML magic (the old format)', new Bytes().raw('ggml').u32(1).u64(0).u64(0).done()],
    ['zero magic', Buffer.alloc(64)],
    ['PNG signature', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])],
    ['version 0', header(0, 0, 0).done()],
    ['version 4294967295', header(0, 0, 0xffffffff).done()],
    ['magic and version only', new Bytes().raw('GGUF').u32(3).done()],
    ['no key-values, no tensors', header(0, 0).done()],
    ['2^63 tensors', kv(header(HUGE, 1)).done()],
    ['2^32 tensors', kv(header(2n ** 32n, 1)).done()],
    ['2^63 key-values', kv(header(0, HUGE)).done()],
    [
      'a key 2^62 bytes long',
      header(0, 1)
        .str('general.architecture', 2n ** 62n)
        .u32(STRING)
        .str('llama')
        .done(),
    ],
    [
      'a key 2^32 bytes long',
      header(0, 1)
        .str('general.architecture', 2n ** 32n)
        .done(),
    ],
    [
      'a string value 2^63 bytes long',
      header(0, 1).str('general.architecture').u32(STRING).str('llama', HUGE).done(),
    ],
    [
      'a string array of 2^62 items',
      header(0, 1)
        .str('tokenizer.ggml.tokens')
        .u32(ARRAY)
        .u32(STRING)
        .u64(2n ** 62n)
        .str('a')
        .done(),
    ],
    [
      'an array of arrays, 2^40 deep',
      header(0, 1)
        .str('x')
        .u32(ARRAY)
        .u32(ARRAY)
        .u64(2n ** 40n)
        .u32(ARRAY)
        .u64(2n ** 40n)
        .done(),
    ],
    ['an unknown value type', header(0, 1).str('general.architecture').u32(99).u64(1).done()],
    ['an unknown array item type', header(0, 1).str('x').u32(ARRAY).u32(0xdeadbeef).u64(4).done()],
    [
      'a tensor with 2^30 dimensions',
      kv(header(1, 1))
        .str('token_embd.weight')
        .u32(2 ** 30)
        .u64(1)
        .u64(1)
        .done(),
    ],
    [
      'a tensor with dimension 2^63',
      kv(header(1, 1)).str('token_embd.weight').u32(2).u64(HUGE).u64(HUGE).u32(0).u64(0).done(),
    ],
    [
      'a tensor of an unknown ggml type',
      kv(header(1, 1)).str('token_embd.weight').u32(1).u64(16).u32(9999).u64(0).done(),
    ],
    [
      'a tensor whose data lies past the end',
      kv(header(1, 1))
        .str('token_embd.weight')
        .u32(1)
        .u64(16)
        .u32(0)
        .u64(2n ** 50n)
        .done(),
    ],
    ['a tensor name 2^63 bytes long', kv(header(1, 1)).str('t', HUGE).done()],
  ];
}

export interface GgufSections {
  /** Offsets where each part ends: the fixed header, each key-value, each tensor info. */
  headerEnd: number;
  keyValueEnds: number[];
  tensorInfoEnds: number[];
}

/** Finds the section boundaries of a well-formed GGUF (the generated test model). */
export function ggufSections(bytes: Buffer): GgufSections {
  let at = 0;
  const u32 = () => ((at += 4), bytes.readUInt32LE(at - 4));
  const u64 = () => ((at += 8), Number(bytes.readBigUInt64LE(at - 8)));
  const skipString = () => {
    const length = u64();
    at += length;
  };
  const skipValue = (type: number): void => {
    if (type === STRING) return void skipString();
    if (type === ARRAY) {
      const itemType = u32();
      const count = u64();
      for (let i = 0; i < count; i++) skipValue(itemType);
      return;
    }
    const size = FIXED_SIZES[type];
    if (size === undefined) throw new Error(`unknown GGUF value type ${type} at ${at}`);
    at += size;
  };
  if (bytes.toString('latin1', 0, 4) !== 'GGUF') throw new Error('not a GGUF');
  at = 8;
  const tensors = u64();
  const kvs = u64();
  const headerEnd = at;
  const keyValueEnds: number[] = [];
  for (let i = 0; i < kvs; i++) {
    skipString();
    skipValue(u32());
    keyValueEnds.push(at);
  }
  const tensorInfoEnds: number[] = [];
  for (let i = 0; i < tensors; i++) {
    skipString();
    const dims = u32();
    at += 8 * dims + 4 + 8;
    tensorInfoEnds.push(at);
  }
  return { headerEnd, keyValueEnds, tensorInfoEnds };
}

/**
 * Where to cut a well-formed GGUF: every byte of the fixed header, each key-value and tensor info
 * boundary (and one byte either side), the middle of each key-value, and the data section.
 */
export function truncationPoints(bytes: Buffer): number[] {
  const { headerEnd, keyValueEnds, tensorInfoEnds } = ggufSections(bytes);
  const points = new Set<number>();
  for (let i = 0; i <= headerEnd; i++) points.add(i);
  let previous = headerEnd;
  for (const end of [...keyValueEnds, ...tensorInfoEnds]) {
    points.add(Math.floor((previous + end) / 2));
    for (const offset of [end - 1, end, end + 1]) points.add(offset);
    previous = end;
  }
  const lastInfo = previous;
  points.add(lastInfo + Math.floor((bytes.length - lastInfo) / 2));
  points.add(bytes.length - 1);
  return [...points].filter((point) => point >= 0 && point < bytes.length).sort((a, b) => a - b);
}
