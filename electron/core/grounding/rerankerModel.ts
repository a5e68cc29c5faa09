/**
 * Which reranker grounded answers use: the one configured (engine option, HEARTH_RERANK_MODEL),
 * else an installed model that came from a catalog entry of kind "reranker", else a models-folder
 * file named like a reranker. Looked up for each question, so a reranker downloaded mid-session is
 * used from the next question on; loaded once per file.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { resolveModelPath } from '../models/resolveModelPath.js';
import { createReranker, type Reranker } from './Reranker.js';
import type { PassageReranker } from './retrieve.js';

export const RERANK_MODEL_ENV = 'HEARTH_RERANK_MODEL';
/** Tuning (and tests on generated models): the least vector similarity a vector-only match needs. */
export const MIN_VECTOR_SIMILARITY_ENV = 'HEARTH_MIN_VECTOR_SIMILARITY';

export interface RerankerSourceOptions {
  modelsDir: string;
  /** A path or models-folder id; 'off' turns reranking off. */
  configured?: string;
  /** Catalog ids of kind "reranker". */
  catalogRerankerIds: () => Promise<ReadonlySet<string>>;
  /** Where an installed model came from (a catalog id, a URL, ...), by model id. */
  sourceOf: (modelId: string) => string | undefined;
  create?: (path: string) => Promise<Reranker>;
  runtime: Parameters<typeof createReranker>[0]['llama'];
  threads?: number | string;
}

export async function findRerankerModel(options: RerankerSourceOptions): Promise<string | undefined> {
  const configured = options.configured?.trim();
  if (configured === 'off') return undefined;
  if (configured) {
    if (isAbsolute(configured) || existsSync(resolve(configured))) return resolve(configured);
    return resolveModelPath(options.modelsDir, configured);
  }
  const names = (await readdir(options.modelsDir).catch(() => [] as string[]))
    .filter((name) => name.toLowerCase().endsWith('.gguf'))
    .sort();
  const rerankerIds = await options.catalogRerankerIds().catch(() => new Set<string>());
  const fromCatalog = names.find((name) => {
    const source = options.sourceOf(name);
    return source !== undefined && rerankerIds.has(source);
  });
  const named = fromCatalog ?? names.find((name) => /rerank/i.test(name));
  return named ? join(options.modelsDir, named) : undefined;
}

/** The reranker for grounded answers, or undefined when none is installed. */
export class RerankerSource {
  private current: { path: string; reranker: Promise<Reranker> } | undefined;

  constructor(private readonly options: RerankerSourceOptions) {}

  async get(): Promise<PassageReranker | undefined> {
    const path = await findRerankerModel(this.options);
    if (!path) return undefined;
    if (this.current?.path !== path) {
      const previous = this.current;
      const create =
        this.options.create ??
        ((modelPath: string) =>
          createReranker({ modelPath, llama: this.options.runtime, threads: this.options.threads }));
      this.current = { path, reranker: create(path) };
      await (await previous?.reranker.catch(() => undefined))?.dispose();
    }
    return this.current.reranker;
  }

  async dispose(): Promise<void> {
    await (await this.current?.reranker.catch(() => undefined))?.dispose();
    this.current = undefined;
  }
}
