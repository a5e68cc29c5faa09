// The generated corpora the library benchmarks run on: deterministic, shaped as described.
import { describe, expect, it } from 'vitest';
import { SyntheticCorpus, type CorpusShape } from './syntheticCorpus.js';
import { random32, ZipfRanks } from './zipf.js';

const shape: CorpusShape = {
  chunks: 120,
  dimension: 32,
  words: 30,
  topics: 4,
  subtopicsPerTopic: 3,
  chunksPerDocument: 50,
  seed: 7,
};

describe('generated corpora', () => {
  it('draws Zipf ranks: rank 0 about twice as often as rank 1, rare ranks rarely', () => {
    const zipf = new ZipfRanks(1000);
    const random = random32(1);
    const counts = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const rank = zipf.rank(random());
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    const ratio = counts.get(0)! / counts.get(1)!;
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(2.3);
    expect(counts.get(999) ?? 0).toBeLessThan(counts.get(0)! / 100);
  });

  it('writes the same documents for the same seed, in documents of the given size, with unit vectors', () => {
    const first = [...new SyntheticCorpus(shape).documents('c')];
    const again = [...new SyntheticCorpus(shape).documents('c')];
    expect(first.map((d) => d.chunks.length)).toEqual([50, 50, 20]);
    expect(again[2]!.chunks[19]!.text).toBe(first[2]!.chunks[19]!.text);
    expect(again[2]!.chunks[19]!.vector).toEqual(first[2]!.chunks[19]!.vector);
    const norm = Math.hypot(...first[0]!.chunks[0]!.vector);
    expect(norm).toBeCloseTo(1, 5);
    expect(first[0]!.chunks[0]!.text.split(' ')).toHaveLength(30);
  });

  it('puts chunks of one subtopic closer together than chunks of different topics', () => {
    const queries = SyntheticCorpus.queries(shape, 2);
    const [a, b] = queries;
    expect(a!.text.split(' ').length).toBeGreaterThanOrEqual(2);
    const chunks = [...new SyntheticCorpus({ ...shape, chunks: 600 }).documents('c')].flatMap(
      (d) => d.chunks,
    );
    const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * y[i]!, 0);
    const scores = chunks.map((chunk) => dot(chunk.vector, a!.vector)).sort((p, q) => q - p);
    // The nearest chunks (its subtopic) stand well above the typical chunk.
    expect(scores[0]!).toBeGreaterThan(0.4);
    expect(scores[Math.floor(scores.length / 2)]!).toBeLessThan(0.3);
    expect(b!.vector).not.toEqual(a!.vector);
  });
});
