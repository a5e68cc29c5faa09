/**
 * A LoRA adapter GGUF that fits the generated test model: llama.cpp's adapter loader wants
 * general.type "adapter", adapter.type "lora", the base model's architecture, and for each
 * adapted weight W (ggml dims [in, out]) a pair `W.lora_a` [in, r] and `W.lora_b` [r, out].
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeGguf, type GgufTensor, type GgufValue } from './GgufWriter.js';
import { mulberry32, uniform } from './random.js';

/** The test model's shape (testModel.ts): 64-wide embeddings, 2 blocks. */
const EMBEDDING = 64;
const BLOCKS = 2;

export interface TestLoraOptions {
  seed?: number;
  rank?: number;
  alpha?: number;
  /** Write it for another architecture (to test refusals). */
  architecture?: string;
}

export function buildTestLora(options: TestLoraOptions = {}): Buffer {
  const random = mulberry32(options.seed ?? 7);
  const rank = options.rank ?? 4;
  const tensors: GgufTensor[] = [];
  for (let block = 0; block < BLOCKS; block++) {
    const weight = `blk.${block}.attn_q.weight`;
    const a = new Float32Array(EMBEDDING * rank).map(() => uniform(random, 0.1));
    const b = new Float32Array(rank * EMBEDDING).map(() => uniform(random, 0.1));
    tensors.push({ name: `${weight}.lora_a`, dims: [EMBEDDING, rank], data: a });
    tensors.push({ name: `${weight}.lora_b`, dims: [rank, EMBEDDING], data: b });
  }
  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: options.architecture ?? 'llama' }],
    ['general.type', { type: 'string', value: 'adapter' }],
    ['general.name', { type: 'string', value: 'Hearth test LoRA' }],
    ['adapter.type', { type: 'string', value: 'lora' }],
    ['adapter.lora.alpha', { type: 'f32', value: options.alpha ?? rank }],
  ]);
  return encodeGguf(metadata, tensors);
}

export async function writeTestLora(path: string, options: TestLoraOptions = {}): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, buildTestLora(options));
  return path;
}
