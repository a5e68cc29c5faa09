import { getLlama, type GgmlType, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GGML_BLOCK_LAYOUT, tensorByteSize } from './tensorBytes.js';

/** node-llama-cpp's native ggml bindings (internal), used only to check our table against ggml. */
interface GgmlSizes {
  getTypeSizeForGgmlType(type: number): number | undefined;
  getBlockSizeForGgmlType(type: number): number | undefined;
}

let llama: Llama;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
});
afterAll(async () => {
  await llama.dispose();
});

it("matches ggml's own block sizes for every type it lists", () => {
  const ggml = (llama as unknown as { _bindings: GgmlSizes })._bindings;
  for (const [type, [blockElements, blockBytes]] of GGML_BLOCK_LAYOUT) {
    expect({ type, blockElements, blockBytes }).toEqual({
      type,
      blockElements: ggml.getBlockSizeForGgmlType(type),
      blockBytes: ggml.getTypeSizeForGgmlType(type),
    });
  }
});

it('sizes a tensor from its dimensions', () => {
  expect(tensorByteSize({ dimensions: [64, 512], ggmlType: 0 })).toBe(64 * 512 * 4);
  expect(tensorByteSize({ dimensions: [4096, 4096], ggmlType: 12 })).toBe((4096 * 4096 * 144) / 256);
  expect(tensorByteSize({ dimensions: [8], ggmlType: 999 as GgmlType })).toBeUndefined();
});
