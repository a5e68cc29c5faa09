/**
 * Which embedding model the document library uses, and changing it. In order: the engine option
 * (tests, scripts), HEARTH_EMBED_MODEL, the user's setting (<data>/library/embedder.json), the
 * catalog's default embedding model when it is installed, else a models-folder file named like an
 * embedding model. Changing the model re-embeds every document in the background (Library.setEmbedder):
 * vectors of two models never share a table.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import type { CatalogEntry, EmbedderChoice, EmbedderOrigin } from '../../../common/api/contract.js';
import { NotFoundError } from '../../errors/NotFoundError.js';
import { resolveModelPath } from '../../models/resolveModelPath.js';
import { Embedder } from '../embed/Embedder.js';
import { JsonFile } from '../JsonFile.js';
import type { Library } from '../Library.js';

/** File names that say a model embeds (the fallback when nothing else decides). */
const EMBEDDING_NAME = /embed|bge|e5|minilm|gte|nomic/i;

export interface EmbedderSources {
  /** The engine's option (LibrarySettings.embedModel). */
  option?: string;
  /** HEARTH_EMBED_MODEL. */
  environment?: string;
  /** The persisted setting: a models-folder id, or null for the default. */
  setting: string | null;
  /** The catalog's default embedding model, when installed (its models-folder id). */
  catalogDefault?: string;
  /** A models-folder file named like an embedding model. */
  detected?: string;
}

/** The first source that names a model, and which one it was. Pure. */
export function chooseEmbedModel(
  sources: EmbedderSources,
): { value: string; origin: EmbedderOrigin } | undefined {
  const ordered: Array<[string | null | undefined, EmbedderOrigin]> = [
    [sources.option, 'option'],
    [sources.environment, 'environment'],
    [sources.setting, 'setting'],
    [sources.catalogDefault, 'catalog-default'],
    [sources.detected, 'detected'],
  ];
  for (const [value, origin] of ordered) if (value?.trim()) return { value: value.trim(), origin };
  return undefined;
}

const CATALOG_WAIT_MS = 2000;

/** The catalog's entries, or none when it fails or takes longer than `ms`. */
async function withTimeout(
  loading: Promise<readonly CatalogEntry[]>,
  ms: number,
): Promise<readonly CatalogEntry[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<readonly CatalogEntry[]>((resolve) => {
    timer = setTimeout(() => resolve([]), ms);
  });
  try {
    return await Promise.race([loading.catch(() => []), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The file for a models-folder id, or undefined for an id that names none (or a path outside). */
function safeModelPath(modelsDir: string, modelId: string): string | undefined {
  try {
    return resolveModelPath(modelsDir, modelId);
  } catch {
    return undefined;
  }
}

export interface LibraryEmbeddersOptions {
  modelsDir: string;
  /** <data>/library */
  libraryDir: string;
  option?: string;
  environment?: string;
  catalog: () => Promise<readonly CatalogEntry[]>;
  /** Where an installed model came from (the models registry's `source`: a catalog id for catalog downloads). */
  sourceOf: (modelId: string) => string | undefined;
  runtime: () => Promise<Llama>;
  threads?: number | string;
}

export class LibraryEmbedders {
  private readonly settingFile: JsonFile<{ modelId: string | null }>;
  private library: Library | undefined;

  constructor(private readonly options: LibraryEmbeddersOptions) {
    this.settingFile = new JsonFile(join(options.libraryDir, 'embedder.json'), () => ({ modelId: null }));
  }

  /** The library whose model this sets (attached once it is open). */
  attach(library: Library): void {
    this.library = library;
  }

  /** Installed models that embed: from the catalog's embedding entries, or named like one. */
  async candidates(): Promise<EmbedderChoice['candidates']> {
    const files = (await readdir(this.options.modelsDir).catch(() => [] as string[]))
      .filter((name) => name.toLowerCase().endsWith('.gguf'))
      .sort();
    // The catalog is read only when a model came from it (a download from the catalog records
    // its id as source), and not waited for long: a remote catalog must not stall start-up.
    const fromCatalog = files.some((file) => {
      const source = this.options.sourceOf(file);
      return source !== undefined && !/^(hf:|https?:|\/|[A-Za-z]:)/.test(source);
    });
    const entries = fromCatalog
      ? (await withTimeout(this.options.catalog(), CATALOG_WAIT_MS)).filter((e) => e.kind === 'embedding')
      : [];
    const found: EmbedderChoice['candidates'] = [];
    for (const file of files) {
      const source = this.options.sourceOf(file);
      const entry = entries.find((e) => e.id === source);
      if (!entry && !EMBEDDING_NAME.test(file)) continue;
      found.push({
        modelId: file,
        name: entry?.name ?? file.replace(/\.gguf$/i, ''),
        catalogDefault: !!entry?.isDefault,
      });
    }
    return found;
  }

  private async sources(): Promise<EmbedderSources> {
    const candidates = await this.candidates();
    return {
      option: this.options.option,
      environment: this.options.environment,
      setting: (await this.settingFile.read()).modelId,
      catalogDefault: candidates.find((c) => c.catalogDefault)?.modelId,
      detected: candidates[0]?.modelId,
    };
  }

  /** The model file the library should use now, and why. */
  async resolve(): Promise<{ path: string; origin: EmbedderOrigin } | undefined> {
    const chosen = chooseEmbedModel(await this.sources());
    if (!chosen) return undefined;
    const { value } = chosen;
    const path =
      isAbsolute(value) || (chosen.origin !== 'setting' && existsSync(resolve(value)))
        ? resolve(value)
        : safeModelPath(this.options.modelsDir, value);
    return path ? { path, origin: chosen.origin } : undefined;
  }

  /** An embedder for a resolved model file. */
  create(path: string): Embedder {
    return new Embedder({ path, runtime: this.options.runtime, threads: this.options.threads });
  }

  async describe(): Promise<EmbedderChoice> {
    const sources = await this.sources();
    const current = await this.resolve();
    const documentCount = this.library ? (await this.library.documents()).length : 0;
    const overriddenBy = sources.option?.trim()
      ? 'option'
      : sources.environment?.trim()
        ? 'environment'
        : null;
    return {
      setting: sources.setting,
      current: current
        ? { name: basename(current.path).replace(/\.gguf$/i, ''), path: current.path, origin: current.origin }
        : null,
      candidates: await this.candidates(),
      documentCount,
      overriddenBy,
    };
  }

  /**
   * Saves the choice (null: back to the default) and, when that changes the model the library
   * uses, swaps it in; documents indexed by the old model are re-embedded in the background.
   */
  async set(modelId: string | null): Promise<EmbedderChoice> {
    if (modelId !== null) {
      const known = safeModelPath(this.options.modelsDir, modelId);
      if (!known || !existsSync(known))
        throw new NotFoundError(`No model "${modelId}" in the models folder.`);
    }
    const before = await this.resolve();
    await this.settingFile.write({ modelId });
    const after = await this.resolve();
    if (this.library && after?.path !== before?.path) {
      await this.library.setEmbedder(after ? this.create(after.path) : undefined);
    }
    return this.describe();
  }
}
