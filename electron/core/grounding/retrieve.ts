/**
 * Candidates for a grounded answer: vector and full-text search over the attached collections,
 * fused by reciprocal rank, optionally reordered by a reranker, then filtered for relevance.
 *
 * Relevance decides between an answer with sources and the honest "not in your files". Hybrid
 * search always returns something, so a passage counts as relevant only when
 *  - a reranker is installed: its score is at least `minRerankScore`; otherwise
 *  - it shares a content word with the question (full-text match on the question's content
 *    words, stopwords left out), or its vector similarity is at least `minVectorSimilarity`.
 */
import type { GroundingSource, Passage } from '../../common/api/contract.js';
import { reciprocalRankFusion } from '../library/index/fuse.js';
import { contentWords } from './question.js';

export interface RetrievalLibrary {
  search(params: {
    query: string;
    collections?: string[];
    mode?: 'hybrid' | 'vector' | 'text';
    limit?: number;
  }): Promise<Passage[]>;
}

export interface PassageReranker {
  /** One score per passage, same order, higher = more relevant (0..1 for a cross-encoder). */
  rerank(query: string, passages: readonly string[], signal?: AbortSignal): Promise<number[]>;
}

export interface RelevanceSettings {
  /** Without a reranker: a vector-only match needs at least this cosine similarity. */
  minVectorSimilarity: number;
  /** With a reranker: the least score a passage needs. */
  minRerankScore: number;
  /** Candidates fetched from each search (and reranked). */
  depth: number;
}

export const DEFAULT_RELEVANCE: RelevanceSettings = {
  minVectorSimilarity: 0.55,
  minRerankScore: 0.05,
  depth: 24,
};

export type Candidate = Omit<GroundingSource, 'n'>;

export interface RetrievalOutcome {
  /** Relevant candidates, best first. */
  candidates: Candidate[];
  reranked: boolean;
  /** How many were found before the relevance filter. */
  considered: number;
}

function toCandidate(passage: Passage, score: number): Candidate {
  return {
    chunkId: passage.chunkId,
    documentId: passage.documentId,
    documentName: passage.documentName,
    path: passage.path,
    collectionId: passage.collectionId,
    ...(passage.page !== undefined ? { page: passage.page } : {}),
    headingPath: passage.headingPath,
    text: passage.text,
    charStart: passage.charStart,
    charEnd: passage.charEnd,
    score,
  };
}

export async function retrieve(input: {
  library: RetrievalLibrary;
  /** The retrieval query (question with recent turns folded in). */
  query: string;
  collectionIds: string[];
  reranker?: PassageReranker;
  settings?: Partial<RelevanceSettings>;
  onStage?: (stage: 'retrieving' | 'reranking', done: number, total: number) => void;
  signal?: AbortSignal;
}): Promise<RetrievalOutcome> {
  const settings = { ...DEFAULT_RELEVANCE, ...input.settings };
  const { library, collectionIds } = input;
  if (collectionIds.length === 0) return { candidates: [], reranked: false, considered: 0 };
  input.onStage?.('retrieving', 0, 1);
  const words = contentWords(input.query);
  const [byVector, byText] = await Promise.all([
    library.search({ query: input.query, collections: collectionIds, mode: 'vector', limit: settings.depth }),
    words.length > 0
      ? library.search({
          query: words.join(' '),
          collections: collectionIds,
          mode: 'text',
          limit: settings.depth,
        })
      : Promise.resolve([] as Passage[]),
  ]);
  input.signal?.throwIfAborted();
  input.onStage?.('retrieving', 1, 1);
  const similarity = new Map(byVector.map((p) => [p.chunkId, p.score]));
  const lexical = new Set(byText.map((p) => p.chunkId));
  const fused = reciprocalRankFusion([byVector, byText], (p) => p.chunkId);
  const considered = fused.length;

  if (input.reranker && fused.length > 0) {
    input.onStage?.('reranking', 0, fused.length);
    const scores = await input.reranker.rerank(
      input.query,
      fused.map(({ item }) => item.text),
      input.signal,
    );
    input.onStage?.('reranking', fused.length, fused.length);
    const candidates = fused
      .map(({ item }, i) => toCandidate(item, scores[i] ?? 0))
      .filter((c) => c.score >= settings.minRerankScore)
      .sort((a, b) => b.score - a.score);
    return { candidates, reranked: true, considered };
  }
  const candidates = fused
    .filter(
      ({ item }) =>
        lexical.has(item.chunkId) || (similarity.get(item.chunkId) ?? -1) >= settings.minVectorSimilarity,
    )
    .map(({ item, score }) => toCandidate(item, score));
  return { candidates, reranked: false, considered };
}
