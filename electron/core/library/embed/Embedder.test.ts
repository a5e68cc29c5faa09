// The embedding model's threads are chosen like the chat model's, never left to node-llama-cpp's
// default (which oversubscribes small machines and made indexing a hundred times slower).
import { availableParallelism } from 'node:os';
import type { Llama } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestEmbeddingModel } from '../../../../test/support/index.js';
import { createLlamaRuntime } from '../../inference/runtime.js';
import { Embedder } from './Embedder.js';

let llama: Llama;
let modelPath: string;
const embedders: Embedder[] = [];

beforeAll(async () => {
  llama = await createLlamaRuntime();
  modelPath = await ensureTestEmbeddingModel();
});
afterEach(async () => {
  await Promise.all(embedders.splice(0).map((embedder) => embedder.dispose()));
});
afterAll(async () => {
  await llama.dispose();
});

function makeEmbedder(threads?: number | string): Embedder {
  const embedder = new Embedder({ path: modelPath, runtime: async () => llama, threads });
  embedders.push(embedder);
  return embedder;
}

describe('Embedder threads', () => {
  it('runs a tiny model on one thread when no thread count is given', async () => {
    expect(await makeEmbedder().threads()).toBe(1);
  });

  it('takes an override (HEARTH_THREADS), capped at the logical cores', async () => {
    expect(await makeEmbedder('2').threads()).toBe(Math.min(2, availableParallelism()));
    expect(await makeEmbedder(10_000).threads()).toBe(availableParallelism());
  });

  it('embeds into unit-length vectors of the model dimension', async () => {
    const embedder = makeEmbedder();
    const [vector] = await embedder.embed(['an invoice is due at the end of the term']);
    expect(vector).toHaveLength((await embedder.info()).dimension);
    expect(Math.hypot(...vector!)).toBeCloseTo(1, 5);
  });
});
