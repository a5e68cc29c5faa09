/**
 * The installed models as the user manages them: the list (header + recorded sha256 +
 * verification + fit), details, delete, import (header check, hash, duplicate check, copy or
 * link), verify, and per-model settings. Loading stays with ModelHost; this decides what may load.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat, statfs, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GgufInsights, type GgufFileInfo, type Llama } from 'node-llama-cpp';
import type {
  HardwareInfo,
  ModelEntry,
  ModelFit,
  ModelInfo,
  ModelSettings,
} from '../../common/api/contract.js';
import {
  InsufficientDiskError,
  InvalidSettingsError,
  ModelChangedError,
  ModelDuplicateError,
  ModelInvalidError,
  ModelNotFoundError,
} from '../errors/index.js';
import { formatBytesPair } from '../inference/memory.js';
import { readHardware } from '../inference/hardware.js';
import type { ModelSettingsStore } from '../settings/ModelSettingsStore.js';
import { estimateFit } from './fit.js';
import { sha256File } from './hashFile.js';
import { inspectModelFile, splitPartSizes } from './inspectModelFile.js';
import { listModels } from './listModels.js';
import { recordFile, type ModelRegistry } from './registry.js';
import { resolveModelPath } from './resolveModelPath.js';
import { splitPartNames } from './downloads/sources.js';

export type ImportStage = 'hashing' | 'copying';
export type ImportProgress = (stage: ImportStage, progress: number) => void;

export interface ModelLibraryOptions {
  modelsDir: string;
  registry: ModelRegistry;
  settings: ModelSettingsStore;
  runtime: () => Promise<Llama>;
  /** Hardware for fit badges; defaults to reading it from the runtime and the OS. */
  hardware?: (llama: Llama) => Promise<HardwareInfo>;
  freeDiskBytes?: (dir: string) => Promise<number>;
}

function isAdapter(info: GgufFileInfo): boolean {
  return (info.metadata.general as { type?: unknown } | undefined)?.type === 'adapter';
}

/** Flat, readable header keys: general.* and the architecture's numbers; never big arrays. */
function flatMetadata(info: GgufFileInfo): Record<string, string | number | boolean> {
  const flat: Record<string, string | number | boolean> = {};
  const walk = (prefix: string, value: unknown, depth: number) => {
    if (typeof value === 'string') flat[prefix] = value.length > 500 ? `${value.slice(0, 500)}…` : value;
    else if (typeof value === 'number' || typeof value === 'boolean') flat[prefix] = value;
    else if (typeof value === 'bigint') flat[prefix] = Number(value);
    else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 3) {
      for (const [key, inner] of Object.entries(value))
        walk(prefix ? `${prefix}.${key}` : key, inner, depth + 1);
    }
  };
  const metadata = info.metadata as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(metadata)) {
    if (key === 'tokenizer') continue;
    walk(key, value, 0);
  }
  return flat;
}

export class ModelLibrary {
  private readonly hashing = new Set<string>();
  private readonly fitCache = new Map<string, ModelFit>();

  constructor(private readonly options: ModelLibraryOptions) {}

  async hardware(): Promise<HardwareInfo> {
    const llama = await this.options.runtime();
    return (this.options.hardware ?? readHardware)(llama);
  }

  async list(): Promise<ModelEntry[]> {
    const llama = await this.options.runtime();
    const hardware = await (this.options.hardware ?? readHardware)(llama);
    return listModels(this.options.modelsDir, (entry, info) => this.enrich(entry, info, llama, hardware));
  }

  async entry(modelId: string): Promise<ModelEntry> {
    const path = resolveModelPath(this.options.modelsDir, modelId);
    const entries = await this.list();
    const found = entries.find((entry) => entry.path === path);
    if (found) return found;
    await inspectModelFile(path); // throws ModelNotFound / ModelInvalid with the reason
    throw new ModelInvalidError(`"${modelId}" is not a listed model.`);
  }

  async info(modelId: string): Promise<ModelInfo> {
    const path = resolveModelPath(this.options.modelsDir, modelId);
    const { info } = await inspectModelFile(path);
    const llama = await this.options.runtime();
    const insights = await GgufInsights.from(info, llama);
    return {
      entry: await this.entry(modelId),
      settings: this.options.settings.get(modelId),
      metadata: flatMetadata(info),
      layers: insights.totalLayers,
      chatTemplate:
        typeof (info.metadata.tokenizer as { chat_template?: unknown } | undefined)?.chat_template ===
        'string',
    };
  }

  /**
   * Cheap check before every load: size and mtime against the record. A changed file is
   * flagged (and stays flagged until `verify`) and refused.
   */
  async checkBeforeLoad(modelId: string): Promise<void> {
    // A split model with a part gone is refused as incomplete (not flagged as changed).
    const path = resolveModelPath(this.options.modelsDir, modelId);
    const first = await stat(path).catch(() => undefined);
    if (first) await splitPartSizes(path, first.size);
    const check = await this.options.registry.check(modelId);
    if (check !== 'changed') return;
    await this.options.registry.update(modelId, { changed: true });
    throw new ModelChangedError(
      `"${modelId}" changed on disk since its sha256 was recorded (its size or modification time differ). ` +
        'Verify it again before loading it.',
    );
  }

  async markUsed(modelId: string): Promise<void> {
    const registry = this.options.registry;
    const now = new Date().toISOString();
    if (registry.get(modelId)) await registry.update(modelId, { lastUsedAt: now });
    else await registry.set(modelId, { files: [], addedAt: now, lastUsedAt: now });
  }

  /** The model's files: the recorded ones, or every part of a split model, or the one file. */
  filesOf(modelId: string): string[] {
    const recorded = this.options.registry.get(modelId)?.files.map((file) => file.id) ?? [];
    if (recorded.length > 0) return recorded;
    const dir = modelId.includes('/') ? modelId.slice(0, modelId.lastIndexOf('/') + 1) : '';
    return splitPartNames(basename(modelId)).map((name) => dir + name);
  }

  async delete(modelId: string): Promise<void> {
    const path = resolveModelPath(this.options.modelsDir, modelId);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists && !this.options.registry.get(modelId)) {
      throw new ModelNotFoundError(`No model "${modelId}" in the models folder.`);
    }
    for (const file of this.filesOf(modelId)) {
      await rm(resolveModelPath(this.options.modelsDir, file), { force: true });
    }
    await this.options.registry.delete(modelId);
    await this.options.settings.forget(modelId);
    this.fitCache.clear();
  }

  /** Re-hashes the model. A changed file is accepted only with `accept`. */
  async verify(
    modelId: string,
    accept: boolean,
    onProgress?: ImportProgress,
    signal?: AbortSignal,
  ): Promise<void> {
    const registry = this.options.registry;
    const record = registry.get(modelId);
    const files = this.filesOf(modelId);
    this.hashing.add(modelId);
    try {
      const hashed = [];
      for (const [index, file] of files.entries()) {
        const sha = await sha256File(
          resolveModelPath(this.options.modelsDir, file),
          (done, total) => onProgress?.('hashing', (index + (total ? done / total : 1)) / files.length),
          signal,
        ).catch((error: unknown) => {
          // Found by the contract fuzzer: a missing file surfaced as an INTERNAL ENOENT.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            throw new ModelNotFoundError(`No model file "${file}" in the models folder.`);
          }
          throw error;
        });
        hashed.push(await recordFile(this.options.modelsDir, file, sha));
      }
      // Every part of a split model is compared with its own record, not only the first.
      const differs = hashed.find((file) => {
        const before = record?.files.find((recorded) => recorded.id === file.id)?.sha256;
        return before !== undefined && before !== '' && before !== file.sha256;
      });
      if (differs && !accept) {
        const before = record?.files.find((recorded) => recorded.id === differs.id)?.sha256;
        const which = files.length > 1 ? `Its part ${differs.id}` : `"${modelId}"`;
        await registry.update(modelId, { changed: true });
        throw new ModelChangedError(
          `${which} is not the file that was recorded: its sha256 was ${before}, now it is ${differs.sha256}. ` +
            'Accept the new file to use it anyway, or download it again.',
        );
      }
      await registry.set(modelId, {
        ...(record ?? { addedAt: new Date().toISOString() }),
        files: hashed,
        changed: false,
      });
    } finally {
      this.hashing.delete(modelId);
    }
  }

  /**
   * Imports a .gguf from anywhere: the header is checked first (a renamed non-GGUF is refused),
   * then it is hashed (progress), refused if the same model is installed, and copied (or linked)
   * into the models folder under its own name; a copy lands atomically.
   */
  async import(
    sourcePath: string,
    {
      mode,
      name,
      onProgress,
    }: {
      mode: 'copy' | 'link';
      /** Its file name in the models folder (a one-file model only), e.g. for an Ollama blob. */
      name?: string;
      onProgress?: ImportProgress;
    },
    signal?: AbortSignal,
  ): Promise<string> {
    // Any part of a split model stands for the whole: it is read from its first part.
    const partNames = splitPartNames(basename(sourcePath));
    if (partNames.length > 1 && partNames[0] !== basename(sourcePath)) {
      sourcePath = join(dirname(sourcePath), partNames[0] ?? '');
    }
    const { info } = await inspectModelFile(sourcePath, signal);
    // A split model comes with all of its parts (the header check above found them all).
    const sources = info.sourceData.map((part) => (part.type === 'path' ? part.path : sourcePath));
    const sizes = await Promise.all(sources.map(async (path) => (await stat(path)).size));
    const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
    const hashes: string[] = [];
    let hashedBytes = 0;
    for (const [index, path] of sources.entries()) {
      hashes.push(
        await sha256File(
          path,
          (done) => onProgress?.('hashing', totalBytes ? (hashedBytes + done) / totalBytes : 1),
          signal,
        ),
      );
      hashedBytes += sizes[index] ?? 0;
    }
    const existing = hashes[0] ? this.options.registry.findBySha256(hashes[0]) : undefined;
    if (existing) {
      throw new ModelDuplicateError(
        `This model is already installed as "${existing}" (same sha256). Nothing was imported.`,
      );
    }
    const names = name && sources.length === 1 ? [basename(name)] : sources.map((path) => basename(path));
    const modelId = names[0] ?? basename(sourcePath);
    for (const name of names) {
      const taken = await stat(join(this.options.modelsDir, name)).then(
        () => true,
        () => false,
      );
      if (taken) {
        throw new ModelDuplicateError(
          `A different file named ${name} is already in the models folder. Rename one of them first.`,
        );
      }
    }
    if (mode === 'copy') {
      const free = await (
        this.options.freeDiskBytes ??
        (async (dir: string) => {
          const stats = await statfs(dir);
          return stats.bavail * stats.bsize;
        })
      )(this.options.modelsDir);
      if (totalBytes > free) {
        const [needed, available] = formatBytesPair(totalBytes, free);
        throw new InsufficientDiskError(
          `Not enough disk space to copy ${modelId}: it needs ${needed}, ${available} is free.`,
        );
      }
    }
    // Later parts first, the first part last: the model is listed only once it is whole.
    let copied = 0;
    for (const [index, path] of [...sources.entries()].reverse()) {
      const target = join(this.options.modelsDir, names[index] ?? basename(path));
      if (mode === 'link') {
        await symlink(path, target);
        continue;
      }
      const temporary = join(dirname(target), `.${basename(target)}.importing`);
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          copied += chunk.length;
          onProgress?.('copying', totalBytes ? copied / totalBytes : 1);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(createReadStream(path), counter, createWriteStream(temporary), { signal });
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    }
    const files = [];
    for (const [index, name] of names.entries()) {
      files.push(await recordFile(this.options.modelsDir, name, hashes[index] ?? ''));
    }
    await this.options.registry.set(modelId, {
      files,
      source: mode === 'link' ? `link:${sourcePath}` : `import:${sourcePath}`,
      ...(typeof info.metadata.general?.license === 'string'
        ? { license: info.metadata.general.license }
        : {}),
      addedAt: new Date().toISOString(),
    });
    return modelId;
  }

  getSettings(modelId: string): ModelSettings {
    resolveModelPath(this.options.modelsDir, modelId);
    return this.options.settings.get(modelId);
  }

  async setSettings(modelId: string, patch: Partial<ModelSettings>): Promise<ModelSettings> {
    const path = resolveModelPath(this.options.modelsDir, modelId);
    const { info } = await inspectModelFile(path);
    const trained = info.architectureMetadata.context_length;
    const architecture = info.metadata.general?.architecture;
    return this.options.settings.set(modelId, patch, {
      ...(typeof trained === 'number' ? { trainedContextSize: trained } : {}),
      checkAdapter: async (adapterPath) => {
        let adapter: GgufFileInfo;
        try {
          adapter = (await inspectModelFile(adapterPath)).info;
        } catch (error) {
          throw new InvalidSettingsError(
            `loras: ${adapterPath}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        if (!isAdapter(adapter))
          throw new InvalidSettingsError(`loras: ${adapterPath} is not a LoRA adapter.`);
        if (adapter.metadata.general?.architecture !== architecture) {
          throw new InvalidSettingsError(
            `loras: ${basename(adapterPath)} is for ${adapter.metadata.general?.architecture} models, this one is ${architecture}.`,
          );
        }
      },
    });
  }

  resetSettings(modelId: string): Promise<ModelSettings> {
    resolveModelPath(this.options.modelsDir, modelId);
    return this.options.settings.reset(modelId);
  }

  private async enrich(
    entry: ModelEntry,
    info: GgufFileInfo,
    llama: Llama,
    hardware: HardwareInfo,
  ): Promise<ModelEntry> {
    const registry = this.options.registry;
    const record = registry.get(entry.id);
    const check = this.hashing.has(entry.id) ? 'hashing' : await registry.check(entry.id);
    const enriched: ModelEntry = {
      ...entry,
      verification: check,
      ...(record?.files[0]?.sha256 ? { sha256: record.files[0].sha256 } : {}),
      ...(record?.source ? { source: record.source } : {}),
      ...((record?.license ?? info.metadata.general?.license)
        ? { license: record?.license ?? info.metadata.general?.license }
        : {}),
      ...(record?.lastUsedAt ? { lastUsedAt: record.lastUsedAt } : {}),
    };
    if (entry.kind === 'adapter') return enriched;
    const settings = this.options.settings.get(entry.id);
    const contextSize = typeof settings.contextSize === 'number' ? settings.contextSize : undefined;
    const key = `${entry.id}:${entry.sizeBytes}:${contextSize ?? 'auto'}`;
    let fit = this.fitCache.get(key);
    if (!fit) {
      fit = await estimateFit(await GgufInsights.from(info, llama), llama, hardware, contextSize).catch(
        () => undefined,
      );
      if (fit) this.fitCache.set(key, fit);
    }
    return fit ? { ...enriched, fit } : enriched;
  }
}
