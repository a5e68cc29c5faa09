/**
 * A minimal GGUF v3 serializer: typed metadata key-values and F32 tensors.
 * Layout (from ggml's gguf spec): header, key-values, tensor infos, padding to the
 * alignment, then each tensor's data at an aligned offset from the start of the data section.
 */

export const GGUF_ALIGNMENT = 32;

const enum ValueType {
  Uint16 = 2,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}
const GGML_TYPE_F32 = 0;

export type GgufValue =
  | { type: 'u16'; value: number }
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: readonly string[] }
  | { type: 'f32s'; value: readonly number[] }
  | { type: 'i32s'; value: readonly number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the fastest-moving (input) dimension. */
  dims: readonly number[];
  data: Float32Array;
}

/** Grows a byte buffer as little-endian values are appended. */
class ByteSink {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
  u16(value: number): void {
    this.reserve(2);
    this.length = this.buffer.writeUInt16LE(value, this.length);
  }
  u32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeUInt32LE(value, this.length);
  }
  i32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeInt32LE(value, this.length);
  }
  u64(value: number): void {
    this.reserve(8);
    this.length = this.buffer.writeBigUInt64LE(BigInt(value), this.length);
  }
  f32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeFloatLE(value, this.length);
  }
  u8(value: number): void {
    this.reserve(1);
    this.length = this.buffer.writeUInt8(value, this.length);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.bytes(bytes);
  }
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case 'u16':
      sink.u32(ValueType.Uint16);
      sink.u16(value.value);
      return;
    case 'u32':
      sink.u32(ValueType.Uint32);
      sink.u32(value.value);
      return;
    case 'i32':
      sink.u32(ValueType.Int32);
      sink.i32(value.value);
      return;
    case 'f32':
      sink.u32(ValueType.Float32);
      sink.f32(value.value);
      return;
    case 'bool':
      sink.u32(ValueType.Bool);
      sink.u8(value.value ? 1 : 0);
      return;
    case 'string':
      sink.u32(ValueType.String);
      sink.string(value.value);
      return;
    case 'strings':
      sink.u32(ValueType.Array);
      sink.u32(ValueType.String);
      sink.u64(value.value.length);
      for (const item of value.value) sink.string(item);
      return;
    case 'f32s':
      sink.u32(ValueType.Array);
      sink.u32(ValueType.Float32);
      sink.u64(value.value.length);
      for (const item of value.value) sink.f32(item);
      return;
    case 'i32s':
      sink.u32(ValueType.Array);
      sink.u32(ValueType.Int32);
      sink.u64(value.value.length);
      for (const item of value.value) sink.i32(item);
      return;
  }
}

/** Serializes a whole GGUF v3 file into memory (test models are small). */
export function encodeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.bytes(Buffer.from('GGUF', 'ascii'));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(metadata.size);
  for (const [key, value] of metadata) {
    sink.string(key);
    writeValue(sink, value);
  }

  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    const elements = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (elements !== tensor.data.length) {
      throw new Error(`Tensor ${tensor.name}: dims hold ${elements} values, data has ${tensor.data.length}`);
    }
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offsets.push(offset);
    offset += Math.ceil((elements * 4) / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  sink.padTo(GGUF_ALIGNMENT);

  const dataStart = sink.length;
  tensors.forEach((tensor, index) => {
    while (sink.length < dataStart + (offsets[index] ?? 0)) sink.u8(0);
    // Float32Array bytes are in host order; every platform node-llama-cpp supports is little-endian.
    const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    sink.bytes(bytes);
  });
  return Buffer.from(sink.toBuffer());
}
