/** Seeded randomness and Zipf-distributed word ranks for the benchmarks' generated text. */

/** mulberry32: small, fast, deterministic (the generated corpora and their caches depend on it). */
export function random32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ranks 0..size-1 drawn with probability proportional to 1 / (rank + 1), as words are in text. */
export class ZipfRanks {
  private readonly cdf: Float64Array;

  constructor(readonly size: number) {
    this.cdf = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) this.cdf[rank] = total += 1 / (rank + 1);
    for (let rank = 0; rank < size; rank++) this.cdf[rank]! /= total;
  }

  /** The rank for a uniform draw `u` in [0, 1). */
  rank(u: number): number {
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cdf[middle]! < u) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
