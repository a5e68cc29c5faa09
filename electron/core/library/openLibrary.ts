/**
 * Builds the library for the engine: picks the embedding model (setting, HEARTH_EMBED_MODEL, or a
 * models-folder file named like an embedding model), the parse worker, and the limits.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Llama } from 'node-llama-cpp';
import { resolveModelPath } from '../models/resolveModelPath.js';
import { Embedder } from './embed/Embedder.js';
import type { LibraryEmbedders } from './embedderChoice/LibraryEmbedders.js';
import type { IndexTuning } from './index/LibraryIndex.js';
import { Library, type LibraryEmit } from './Library.js';
import { ParserPool } from './parse/ParserPool.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse/types.js';

export const EMBED_MODEL_ENV = 'HEARTH_EMBED_MODEL';
export const PARSE_WORKER_ENV = 'HEARTH_PARSE_WORKER';
/** The most characters of text indexed from one file (HEARTH_MAX_TEXT_CHARS overrides). */
export const MAX_TEXT_ENV = 'HEARTH_MAX_TEXT_CHARS';

export interface LibrarySettings {
  /** The embedding model: a path, or an id in the models folder. */
  embedModel?: string;
  /** The built parse worker (parseWorker.js); defaults to the one next to the app's entry. */
  parseWorkerPath?: string;
  limits?: Partial<ParseLimits>;
  tuning?: Partial<IndexTuning>;
  chunking?: { maxTokens?: number; overlapTokens?: number };
  watchDebounceMs?: number;
  /** How often a watched folder in error is checked again (default 30 s). */
  watchRetryMs?: number;
  /** Resume the persisted queue and restart folder watches when the engine opens (default true). */
  autoStart?: boolean;
  log?: (line: string) => void;
}

export async function resolveEmbedModel(
  modelsDir: string,
  configured: string | undefined,
): Promise<string | undefined> {
  if (configured?.trim()) {
    const value = configured.trim();
    if (isAbsolute(value) || existsSync(resolve(value))) return resolve(value);
    return resolveModelPath(modelsDir, value);
  }
  // No setting: a model in the models folder whose name says it embeds.
  const names = await readdir(modelsDir).catch(() => [] as string[]);
  const candidate = names
    .sort()
    .find((name) => /embed|bge|e5|minilm|gte|nomic/i.test(name) && name.toLowerCase().endsWith('.gguf'));
  return candidate ? join(modelsDir, candidate) : undefined;
}

function defaultWorkerPath(): string {
  // Built, the worker sits next to the entry (out/cli, out/main); this code may be in the entry
  // itself or in a code-split chunk one folder down (out/main/chunks).
  const file = 'parseWorker.js';
  const candidates = [`./${file}`, `../${file}`].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

export async function openLibrary(input: {
  dataDir: string;
  modelsDir: string;
  env: Readonly<Record<string, string | undefined>>;
  runtime: () => Promise<Llama>;
  /** Thread override (option or HEARTH_THREADS) for the embedding model. */
  threads?: number | string;
  settings: LibrarySettings;
  emit: LibraryEmit;
  /** The embedding model choice with the user's setting and the catalog default (the engine's). */
  embedders?: LibraryEmbedders;
}): Promise<Library> {
  const { settings, env } = input;
  const embedPath = input.embedders
    ? (await input.embedders.resolve().catch(() => undefined))?.path
    : await resolveEmbedModel(input.modelsDir, settings.embedModel ?? env[EMBED_MODEL_ENV]).catch(
        () => undefined,
      );
  const maxTextChars = Number(env[MAX_TEXT_ENV]) || undefined;
  const limits: ParseLimits = {
    ...DEFAULT_PARSE_LIMITS,
    ...(maxTextChars ? { maxTextChars } : {}),
    ...settings.limits,
  };
  const parser = new ParserPool({
    workerPath: resolve(settings.parseWorkerPath ?? env[PARSE_WORKER_ENV] ?? defaultWorkerPath()),
    limits,
  });
  const embedder = embedPath
    ? new Embedder({ path: embedPath, runtime: input.runtime, threads: input.threads })
    : undefined;
  const library = await Library.open({
    dir: join(input.dataDir, 'library'),
    embedder,
    parser,
    emit: input.emit,
    chunking: settings.chunking,
    tuning: settings.tuning,
    watchDebounceMs: settings.watchDebounceMs,
    watchRetryMs: settings.watchRetryMs,
    autoStart: settings.autoStart,
    log: settings.log,
  });
  input.embedders?.attach(library);
  return library;
}
