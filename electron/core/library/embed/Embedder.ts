/**
 * The library's own embedding model: a separate model instance and embedding context from the
 * chat model, so indexing never takes chat's context. Texts are embedded one batch at a time,
 * yielding to the event loop between batches so chat and the UI keep moving.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Llama, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { CancelledError } from '../../errors/CancelledError.js';
import { EmbeddingModelUnavailableError } from '../../errors/EmbeddingModelUnavailableError.js';
import { chooseThreads } from '../../inference/threads.js';

export interface EmbeddingModelInfo {
  name: string;
  /** Size and a hash of the first megabytes: changes when the file does. */
  fingerprint: string;
  dimension: number;
}

export interface EmbedderOptions {
  path: string;
  runtime: () => Promise<Llama>;
  /**
   * Thread override (option or HEARTH_THREADS); otherwise chosen like the chat model's. Never left
   * to node-llama-cpp's default: it oversubscribes small machines (measured on 2 cores with the
   * 64-dim test model: 1.3 s per 1,300-token text against 72 ms on one thread).
   */
  threads?: number | string;
  /** Texts per batch between yields. */
  batchSize?: number;
  contextSize?: number;
}

const FINGERPRINT_BYTES = 4 * 1024 * 1024;

export async function fingerprintFile(path: string): Promise<string> {
  const info = await stat(path);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(FINGERPRINT_BYTES, info.size));
    await handle.read(buffer, 0, buffer.length, 0);
    return `${info.size}:${createHash('sha256').update(buffer).digest('hex').slice(0, 16)}`;
  } finally {
    await handle.close();
  }
}

export class Embedder {
  private loaded:
    | Promise<{
        model: LlamaModel;
        context: LlamaEmbeddingContext;
        contextSize: number;
        threads: number;
        info: EmbeddingModelInfo;
      }>
    | undefined;

  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EmbedderOptions) {}

  /** Loads the model on first use. */
  private load() {
    return (this.loaded ??= (async () => {
      const { path } = this.options;
      let fingerprint: string;
      try {
        fingerprint = await fingerprintFile(path);
      } catch (error) {
        throw new EmbeddingModelUnavailableError(
          `The embedding model ${path} cannot be read: ${(error as Error).message}`,
        );
      }
      try {
        const llama = await this.options.runtime();
        const model = await llama.loadModel({ modelPath: path });
        const contextSize = Math.min(this.options.contextSize ?? 2048, model.trainContextSize || 512);
        const threads = chooseThreads({
          physicalCores: llama.cpuMathCores,
          logicalCores: availableParallelism(),
          parameterCount: model.fileInsights.totalParameters,
          override: this.options.threads,
        });
        const context = await model.createEmbeddingContext({ contextSize, threads });
        const info: EmbeddingModelInfo = {
          name: basename(path),
          fingerprint,
          dimension: model.embeddingVectorSize,
        };
        return { model, context, contextSize, threads, info };
      } catch (error) {
        throw new EmbeddingModelUnavailableError(
          `The embedding model ${basename(path)} could not be loaded: ${(error as Error).message}`,
        );
      }
    })());
    // A failed load may be retried later (the file may be fixed).
  }

  async info(): Promise<EmbeddingModelInfo> {
    try {
      return (await this.load()).info;
    } catch (error) {
      this.loaded = undefined;
      throw error;
    }
  }

  /** The threads the embedding context runs on. */
  async threads(): Promise<number> {
    return (await this.load()).threads;
  }

  /** The longest text (in tokens) the context embeds. */
  async maxTokens(): Promise<number> {
    return (await this.load()).contextSize;
  }

  async countTokens(text: string): Promise<number> {
    return (await this.load()).model.tokenize(text).length;
  }

  /** A tokenizer usable synchronously once loaded (for chunking). */
  async tokenCounter(): Promise<(text: string) => number> {
    const { model } = await this.load();
    return (text) => model.tokenize(text).length;
  }

  /** Unit-length vectors, one per text; `onProgress` counts texts done. */
  async embed(
    texts: readonly string[],
    signal?: AbortSignal,
    onProgress?: (done: number) => void,
    /** Awaited between batches (the queue's pause). */
    between?: () => Promise<void>,
  ): Promise<number[][]> {
    const { context, model, contextSize: limit } = await this.load();
    const batch = this.options.batchSize ?? 16;
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      if (signal?.aborted) throw new CancelledError('Embedding was cancelled.');
      let tokens = model.tokenize(texts[i]!);
      // A chunk never exceeds the context by design; this guards the heading prefix and odd tokenizers.
      if (tokens.length > limit - 2) tokens = tokens.slice(0, limit - 2);
      // One evaluation at a time on the context; a search's query slips in between a batch's texts.
      const run = this.lock.then(() => context.getEmbeddingFor(tokens));
      this.lock = run.catch(() => undefined);
      const embedding = await run;
      vectors.push(normalize([...embedding.vector]));
      if ((i + 1) % batch === 0) {
        onProgress?.(i + 1);
        await new Promise((resolve) => setImmediate(resolve));
        await between?.();
      }
    }
    onProgress?.(texts.length);
    return vectors;
  }

  async dispose(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    const handles = await loaded?.catch(() => undefined);
    await handles?.context.dispose();
    await handles?.model.dispose();
  }
}

function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}
