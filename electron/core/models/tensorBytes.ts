/**
 * Bytes a GGUF tensor occupies, from ggml's block layout (elements per block, bytes per block).
 * Used to find where a file's tensor data must end, so a truncated download is caught from its
 * header alone. A test checks this table against llama.cpp's own ggml.
 */
import type { GgufTensorInfo } from 'node-llama-cpp';

/** ggml type id -> [elements per block, bytes per block]. */
export const GGML_BLOCK_LAYOUT: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0, [1, 4]], // F32
  [1, [1, 2]], // F16
  [2, [32, 18]], // Q4_0
  [3, [32, 20]], // Q4_1
  [6, [32, 22]], // Q5_0
  [7, [32, 24]], // Q5_1
  [8, [32, 34]], // Q8_0
  [9, [32, 36]], // Q8_1
  [10, [256, 84]], // Q2_K
  [11, [256, 110]], // Q3_K
  [12, [256, 144]], // Q4_K
  [13, [256, 176]], // Q5_K
  [14, [256, 210]], // Q6_K
  [15, [256, 292]], // Q8_K
  [16, [256, 66]], // IQ2_XXS
  [17, [256, 74]], // IQ2_XS
  [18, [256, 98]], // IQ3_XXS
  [19, [256, 50]], // IQ1_S
  [20, [32, 18]], // IQ4_NL
  [21, [256, 110]], // IQ3_S
  [22, [256, 82]], // IQ2_S
  [23, [256, 136]], // IQ4_XS
  [24, [1, 1]], // I8
  [25, [1, 2]], // I16
  [26, [1, 4]], // I32
  [27, [1, 8]], // I64
  [28, [1, 8]], // F64
  [29, [256, 56]], // IQ1_M
  [30, [1, 2]], // BF16
  [34, [256, 54]], // TQ1_0
  [35, [256, 66]], // TQ2_0
  [39, [32, 17]], // MXFP4
]);

/** The tensor's size in bytes, or undefined for a ggml type this table does not know. */
export function tensorByteSize(tensor: Pick<GgufTensorInfo, 'dimensions' | 'ggmlType'>): number | undefined {
  const layout = GGML_BLOCK_LAYOUT.get(tensor.ggmlType);
  if (!layout) return undefined;
  const [blockElements, blockBytes] = layout;
  let elements = 1;
  for (const dim of tensor.dimensions) elements *= Number(dim);
  return (elements / blockElements) * blockBytes;
}

/**
 * For each file part (1-based), the byte offset where its tensor data must end at least.
 * Tensors of unknown type count only by their start, so the check errs on the side of "complete".
 */
export function requiredPartSizes(tensors: readonly GgufTensorInfo[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const tensor of tensors) {
    const end = Number(tensor.fileOffset) + (tensorByteSize(tensor) ?? 0);
    ends.set(tensor.filePart, Math.max(ends.get(tensor.filePart) ?? 0, end));
  }
  return ends;
}

export function parameterCount(tensors: readonly GgufTensorInfo[]): number {
  let total = 0;
  for (const tensor of tensors) {
    let elements = 1;
    for (const dim of tensor.dimensions) elements *= Number(dim);
    total += elements;
  }
  return total;
}
