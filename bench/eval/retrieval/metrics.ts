/**
 * Retrieval quality per question: a retrieved chunk is a hit for an answering passage when it
 * comes from the same document and its character range overlaps the passage's. recall@k counts
 * each passage (a two-passage question found halfway scores 0.5); MRR@k is the reciprocal rank of
 * the first chunk that hits any passage, 0 when none in the top k does.
 */
import type { PassageRange } from './evalSet.js';

export interface RetrievedChunk {
  document: string;
  start: number;
  end: number;
}

export function hits(chunk: RetrievedChunk, passage: PassageRange): boolean {
  return chunk.document === passage.document && chunk.start < passage.end && passage.start < chunk.end;
}

export function recallAt(
  k: number,
  retrieved: readonly RetrievedChunk[],
  passages: readonly PassageRange[],
): number {
  if (passages.length === 0) throw new Error('a question without passages');
  const top = retrieved.slice(0, k);
  return passages.filter((passage) => top.some((chunk) => hits(chunk, passage))).length / passages.length;
}

export function reciprocalRankAt(
  k: number,
  retrieved: readonly RetrievedChunk[],
  passages: readonly PassageRange[],
): number {
  const rank = retrieved.slice(0, k).findIndex((chunk) => passages.some((passage) => hits(chunk, passage)));
  return rank === -1 ? 0 : 1 / (rank + 1);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}
