/**
 * retrieval.quality: recall@5 and MRR@10 of the document library on the labelled set in
 * bench/eval/retrieval, per search mode (text = full-text, vector, hybrid, hybrid + rerank) and per
 * question type. The set is indexed into a fresh library through the engine's public methods
 * (library.add, library.search) with the product's own parser, chunking and embedder.
 *
 * A retrieved chunk is a hit when it comes from the answering passage's document and overlaps its
 * character range. The embedding model is HEARTH_BENCH_EMBED_MODEL, else the generated test model
 * (random weights: its vector and hybrid numbers say little about real quality). Hybrid + rerank
 * reranks hybrid's top RERANK_DEPTH with the cross-encoder named by HEARTH_BENCH_RERANK_MODEL, else
 * with the generated test cross-encoder, which scores a single test word: that row then shows the
 * reranking path runs end to end, not how well a reranker orders passages.
 * Quality does not vary between runs, so the set is measured once whatever `--runs` says.
 */
import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { LlamaLogLevel, type Llama } from 'node-llama-cpp';
import type { MethodName, Params, Passage, Result } from '../../electron/common/api/contract.js';
import { Dispatcher } from '../../electron/common/api/dispatch.js';
import { RemoteError } from '../../electron/common/api/errors.js';
import { createEngine } from '../../electron/core/Engine.js';
import { createReranker, type Reranker } from '../../electron/core/grounding/Reranker.js';
import { createLlamaRuntime } from '../../electron/core/inference/runtime.js';
import {
  ensureTestEmbeddingModel,
  ensureTestRerankerModel,
  RERANK_TEST_WORD,
} from '../../test/support/index.js';
import {
  QUESTION_TYPES,
  evalSetDir,
  extractDocuments,
  loadEvalSet,
  locatePassages,
  type EvalQuestion,
  type PassageRange,
  type QuestionType,
} from '../eval/retrieval/evalSet.js';
import { mean, reciprocalRankAt, recallAt, type RetrievedChunk } from '../eval/retrieval/metrics.js';
import { figure } from '../stats.js';
import type { Benchmark, Figure } from '../types.js';

export const EMBED_MODEL_ENV = 'HEARTH_BENCH_EMBED_MODEL';
export const RERANK_MODEL_ENV = 'HEARTH_BENCH_RERANK_MODEL';

const RECALL_K = 5;
const MRR_K = 10;
/** Hybrid candidates fetched per question; the reranker reorders them all (the product reranks about this many). */
const RERANK_DEPTH = 30;
const COLLECTION = 'retrieval-eval';

export const MODES = ['text', 'vector', 'hybrid', 'rerank'] as const;
export type Mode = (typeof MODES)[number];
const MODE_LABEL: Record<Mode, string> = {
  text: 'text (full-text)',
  vector: 'vector',
  hybrid: 'hybrid',
  rerank: 'hybrid + rerank',
};
const METRICS = [
  { key: 'recall5', unit: 'recall@5' },
  { key: 'mrr10', unit: 'MRR@10' },
] as const;
type Group = 'all' | QuestionType;
const GROUPS: readonly Group[] = ['all', ...QUESTION_TYPES];

function figureName(mode: Mode, metric: string, group: Group): string {
  return `retrieval.quality.${mode}.${metric}${group === 'all' ? '' : `.${group}`}`;
}

interface QuestionScore {
  type: QuestionType;
  recall: number;
  reciprocalRank: number;
}

interface ModeResult {
  mode: Mode;
  scores: QuestionScore[];
  msPerQuery: number;
}

function requireFile(env: string): string | undefined {
  const value = process.env[env]?.trim();
  if (!value) return undefined;
  const path = resolve(value);
  if (!existsSync(path)) throw new Error(`${env} names a file that does not exist: ${value}`);
  return path;
}

/** The per-type table, printed to the log so it can be read at a glance. */
function formatMatrix(results: readonly ModeResult[], counts: Record<Group, number>): string {
  const header = ['mode', 'metric', ...GROUPS.map((g) => `${g} (${counts[g]})`), 'ms/query'];
  const rows: string[][] = [];
  for (const result of results) {
    for (const metric of METRICS) {
      const cells = GROUPS.map((group) => {
        const scores = result.scores.filter((s) => group === 'all' || s.type === group);
        return mean(scores.map((s) => (metric.key === 'recall5' ? s.recall : s.reciprocalRank))).toFixed(3);
      });
      rows.push([MODE_LABEL[result.mode], metric.unit, ...cells, result.msPerQuery.toFixed(1)]);
    }
  }
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const retrievalQuality: Benchmark = {
  name: 'retrieval.quality',
  figures: MODES.flatMap((mode) =>
    METRICS.flatMap((metric) => GROUPS.map((group) => figureName(mode, metric.key, group))),
  ),
  description:
    'Library search quality on the labelled set: recall@5 and MRR@10 per mode (text, vector, hybrid, hybrid + rerank) and question type.',
  async run(context) {
    const { log, signal } = context;
    const set = await loadEvalSet(evalSetDir(context.root));
    const extracted = await extractDocuments(set);
    const texts = new Map([...extracted].map(([name, document]) => [name, document.text]));
    const passagesOf = new Map<string, PassageRange[]>(
      set.questions.map((question) => [question.id, locatePassages(question, texts)]),
    );

    const embedPath = requireFile(EMBED_MODEL_ENV);
    const requestedReranker = requireFile(RERANK_MODEL_ENV);
    const rerankPath = requestedReranker ?? (await ensureTestRerankerModel());
    const embedModel = embedPath ?? (await ensureTestEmbeddingModel());
    const parseWorkerPath = resolve(context.root, 'out/cli/parseWorker.js');
    if (!existsSync(parseWorkerPath)) throw new Error('The CLI is not built: run `npm run build` first.');

    const llama: Llama = await createLlamaRuntime({ logLevel: LlamaLogLevel.error });
    const engine = await createEngine({
      home: context.workDir,
      version: 'bench',
      llama,
      library: { embedModel, parseWorkerPath, autoStart: true },
    });
    const dispatcher = new Dispatcher(engine.handlers, () => undefined);
    let requests = 0;
    const call = async <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => {
      const outcome = await dispatcher.call(method, params, `bench-${++requests}`);
      if (!outcome.ok) throw new RemoteError(outcome.error);
      return outcome.result as Result<M>;
    };
    let reranker: Reranker | undefined;
    try {
      log(`indexing ${set.documents.length} documents with ${basename(embedModel)}`);
      const indexingStart = performance.now();
      await call('library.add', { paths: [set.docsDir], collection: COLLECTION });
      const status = await call('library.waitIdle', {});
      const notReady = status.items.filter((item) => item.state !== 'ready');
      if (notReady.length > 0) {
        throw new Error(
          `not indexed: ${notReady.map((item) => `${item.name} (${item.state}: ${item.reason ?? ''})`).join(', ')}`,
        );
      }
      const chunkCount = status.items.reduce((sum, item) => sum + (item.chunkCount ?? 0), 0);
      log(
        `indexed ${status.items.length} documents, ${chunkCount} chunks, in ${((performance.now() - indexingStart) / 1000).toFixed(1)} s`,
      );

      const toChunks = (passages: readonly Passage[]): RetrievedChunk[] =>
        passages.map((p) => ({
          document: relative(set.docsDir, p.path),
          start: p.charStart,
          end: p.charEnd,
        }));
      const search = (question: EvalQuestion, mode: 'text' | 'vector' | 'hybrid', limit: number) =>
        call('library.search', { query: question.question, collections: [COLLECTION], mode, limit });

      const cross = await createReranker({ modelPath: rerankPath, llama });
      reranker = cross;
      // Loads the model now: a file that cannot rank fails before the other modes have run.
      await cross.rerank('warm-up', ['warm-up'], signal);
      log(`reranking with ${cross.name}`);
      const retrieveFor: Record<Mode, (q: EvalQuestion) => Promise<RetrievedChunk[]>> = {
        text: async (q) => toChunks(await search(q, 'text', MRR_K)),
        vector: async (q) => toChunks(await search(q, 'vector', MRR_K)),
        // Hybrid's fused order depends on how deep each list goes, so hybrid and rerank read the
        // same candidate list: the rerank row differs from the hybrid row by the reranker alone.
        hybrid: async (q) => toChunks((await search(q, 'hybrid', RERANK_DEPTH)).slice(0, MRR_K)),
        rerank: async (q) => {
          const candidates = await search(q, 'hybrid', RERANK_DEPTH);
          const scores = await cross.rerank(
            q.question,
            candidates.map((c) => c.text),
            signal,
          );
          // A stable sort: equal scores keep hybrid's order.
          const order = candidates
            .map((candidate, i) => ({ candidate, score: scores[i] ?? Number.NEGATIVE_INFINITY }))
            .sort((a, b) => b.score - a.score)
            .map(({ candidate }) => candidate);
          return toChunks(order.slice(0, MRR_K));
        },
      };

      const results: ModeResult[] = [];
      for (const mode of MODES) {
        const retrieve = retrieveFor[mode];
        signal.throwIfAborted();
        const started = performance.now();
        const scores: QuestionScore[] = [];
        for (const question of set.questions) {
          const retrieved = await retrieve(question);
          const passages = passagesOf.get(question.id)!;
          scores.push({
            type: question.type,
            recall: recallAt(RECALL_K, retrieved, passages),
            reciprocalRank: reciprocalRankAt(MRR_K, retrieved, passages),
          });
        }
        const msPerQuery = (performance.now() - started) / set.questions.length;
        results.push({ mode, scores, msPerQuery });
        log(`${MODE_LABEL[mode]}: ${set.questions.length} questions, ${msPerQuery.toFixed(1)} ms per query`);
      }

      const counts = Object.fromEntries(
        GROUPS.map((g) => [g, set.questions.filter((q) => g === 'all' || q.type === g).length]),
      ) as Record<Group, number>;
      const embedderNote = embedPath
        ? `embedder ${basename(embedPath)}`
        : `embedder: Hearth's generated test model (random weights: vector and hybrid numbers mean little; set ${EMBED_MODEL_ENV} to a real GGUF embedding model)`;
      const rerankNote = requestedReranker
        ? `reranker ${cross.name} over hybrid's top ${RERANK_DEPTH}`
        : `reranker: Hearth's generated test cross-encoder over hybrid's top ${RERANK_DEPTH} (it scores only the word "${RERANK_TEST_WORD}": hybrid + rerank numbers mean nothing; set ${RERANK_MODEL_ENV} to a real GGUF reranker)`;
      const summary =
        `${set.questions.length} questions (${QUESTION_TYPES.map((t) => `${counts[t]} ${t}`).join(', ')}) ` +
        `over ${set.documents.length} documents, ${chunkCount} chunks; ${embedderNote}; ${rerankNote}; ` +
        'measured once (deterministic); per-type figures are named <mode>.<metric>.<type>';
      log(`\nretrieval.quality: ${summary}\n${formatMatrix(results, counts)}`);

      const figures: Figure[] = [];
      for (const result of results) {
        for (const metric of METRICS) {
          for (const group of GROUPS) {
            const scores = result.scores.filter((s) => group === 'all' || s.type === group);
            const value = mean(scores.map((s) => (metric.key === 'recall5' ? s.recall : s.reciprocalRank)));
            const name = figureName(result.mode, metric.key, group);
            const note = name === figureName('text', 'recall5', 'all') ? summary : undefined;
            figures.push(figure({ name, unit: metric.unit, values: [value], ...(note ? { note } : {}) }));
          }
        }
      }
      return figures;
    } finally {
      await reranker?.dispose();
      await engine.dispose();
      await llama.dispose();
    }
  },
};
