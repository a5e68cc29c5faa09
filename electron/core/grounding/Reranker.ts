/**
 * The offline reranker: a GGUF cross-encoder (e.g. the catalog's BGE Reranker v2 M3) run with
 * node-llama-cpp's ranking context. It scores each (question, passage) pair together, which
 * orders candidates far better than the embedding similarity that found them. Its own model
 * instance and context, apart from the chat model, loaded on first use.
 *
 * `createReranker` is also the entry point for the retrieval bench (bench/), which keeps one
 * reranker for a whole run.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { getLlama, type Llama, type LlamaModel, type LlamaRankingContext } from 'node-llama-cpp';
import { CancelledError } from '../errors/CancelledError.js';
import { ModelLoadFailedError } from '../errors/index.js';
import { chooseThreads } from '../inference/threads.js';
import type { PassageReranker } from './retrieve.js';

export interface RerankerOptions {
  modelPath: string;
  /** A runtime to share; one is created (and disposed with the reranker) when absent. */
  llama?: Llama | (() => Promise<Llama>);
  /** Thread override; otherwise chosen from the cores and the model's size. */
  threads?: number | string;
  /** The ranking context's size in tokens (a passage and the question must fit; longer ones are split). */
  contextSize?: number;
}

export interface Reranker extends PassageReranker {
  readonly name: string;
  dispose(): Promise<void>;
}

/** Passages scored per turn of the event loop, so chat and the UI keep moving. */
const BATCH = 8;

export async function createReranker(options: RerankerOptions): Promise<Reranker> {
  let ownLlama: Llama | undefined;
  const runtime = async (): Promise<Llama> => {
    if (typeof options.llama === 'function') return options.llama();
    if (options.llama) return options.llama;
    return (ownLlama ??= await getLlama({ gpu: false }));
  };
  let loaded: Promise<{ model: LlamaModel; context: LlamaRankingContext }> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      const llama = await runtime();
      let model: LlamaModel | undefined;
      try {
        model = await llama.loadModel({ modelPath: options.modelPath });
        const threads = chooseThreads({
          physicalCores: llama.cpuMathCores,
          logicalCores: availableParallelism(),
          parameterCount: model.fileInsights.totalParameters,
          override: options.threads,
        });
        const contextSize = Math.min(options.contextSize ?? 1024, model.trainContextSize || 512);
        const context = await model.createRankingContext({ contextSize, threads });
        return { model, context };
      } catch (error) {
        await model?.dispose();
        throw new ModelLoadFailedError(
          `The reranker ${basename(options.modelPath)} could not be loaded: ${(error as Error).message}`,
        );
      }
    })().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));

  let lock: Promise<unknown> = Promise.resolve();
  return {
    name: basename(options.modelPath),
    async rerank(query, passages, signal) {
      const { context } = await load();
      const run = lock.then(async () => {
        const scores: number[] = [];
        for (let i = 0; i < passages.length; i += BATCH) {
          if (signal?.aborted) throw new CancelledError('Reranking was cancelled.');
          const batch = passages.slice(i, i + BATCH);
          scores.push(...(await context.rankAll(query, [...batch], { onOverflow: 'maxChunk' })));
          await new Promise((resolve) => setImmediate(resolve));
        }
        return scores;
      });
      lock = run.catch(() => undefined);
      return run;
    },
    async dispose() {
      const current = await loaded?.catch(() => undefined);
      await current?.context.dispose();
      await current?.model.dispose();
      await ownLlama?.dispose();
    },
  };
}

/** One-shot scores (loads the model, scores, frees it). For many queries keep a `createReranker`. */
export async function rerank(
  query: string,
  passages: readonly string[],
  options: RerankerOptions,
): Promise<number[]> {
  const reranker = await createReranker(options);
  try {
    return await reranker.rerank(query, passages);
  } finally {
    await reranker.dispose();
  }
}
