/**
 * What Hearth knows about each installed model beyond its header: the sha256 recorded once at
 * download or import, the size and mtime it had then (re-checked cheaply before every load),
 * where it came from, and when it was last used. Kept in <data>/models.json, written atomically.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { JsonStore } from '../storage/jsonFile.js';

const RecordedFile = z.object({
  /** Path relative to the models folder (the model id for the first part). */
  id: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  mtimeMs: z.number(),
});

const ModelRecord = z.object({
  /** Every file of the model: one, or each part of a split model in order (empty: not hashed yet). */
  files: z.array(RecordedFile),
  source: z.string().optional(),
  license: z.string().optional(),
  addedAt: z.string(),
  lastUsedAt: z.string().optional(),
  /** Set once a check found the file changed; cleared by verify. */
  changed: z.boolean().optional(),
});
export type ModelRecord = z.infer<typeof ModelRecord>;
export type RecordedFile = z.infer<typeof RecordedFile>;

const RegistryFile = z.object({ version: z.literal(1), models: z.record(z.string(), ModelRecord) });

export type FileCheck = 'verified' | 'unrecorded' | 'changed';

export class ModelRegistry {
  private constructor(
    private readonly store: JsonStore<z.infer<typeof RegistryFile>>,
    private readonly models: Map<string, ModelRecord>,
    private readonly modelsDir: string,
  ) {}

  static async open(dataDir: string, modelsDir: string): Promise<ModelRegistry> {
    const store = new JsonStore<z.infer<typeof RegistryFile>>(join(dataDir, 'models.json'));
    const parsed = RegistryFile.safeParse(await store.read());
    const models = new Map(parsed.success ? Object.entries(parsed.data.models) : []);
    return new ModelRegistry(store, models, modelsDir);
  }

  get(modelId: string): ModelRecord | undefined {
    return this.models.get(modelId);
  }

  /** Where each recorded model came from (catalog id, URL, `link:<path>`, `import:<path>`). */
  sources(): string[] {
    return [...this.models.values()].flatMap((record) => (record.source ? [record.source] : []));
  }

  /** The model whose first file has this sha256, if any. */
  findBySha256(sha256: string): string | undefined {
    for (const [id, record] of this.models) if (record.files[0]?.sha256 === sha256) return id;
    return undefined;
  }

  async set(modelId: string, record: ModelRecord): Promise<void> {
    this.models.set(modelId, record);
    await this.save();
  }

  async update(modelId: string, change: Partial<ModelRecord>): Promise<void> {
    const record = this.models.get(modelId);
    if (!record) return;
    this.models.set(modelId, { ...record, ...change });
    await this.save();
  }

  async delete(modelId: string): Promise<void> {
    if (this.models.delete(modelId)) await this.save();
  }

  /** Size and mtime of every recorded file against what is on disk now (no hashing). */
  async check(modelId: string): Promise<FileCheck> {
    const record = this.models.get(modelId);
    if (!record || record.files.length === 0) return 'unrecorded';
    if (record.changed) return 'changed';
    for (const file of record.files) {
      const stats = await stat(join(this.modelsDir, file.id)).catch(() => undefined);
      if (!stats || stats.size !== file.sizeBytes || Math.trunc(stats.mtimeMs) !== Math.trunc(file.mtimeMs)) {
        return 'changed';
      }
    }
    return 'verified';
  }

  private save(): Promise<void> {
    return this.store.save({ version: 1, models: Object.fromEntries(this.models) });
  }
}

/** A RecordedFile for a file as it is on disk now. */
export async function recordFile(modelsDir: string, id: string, sha256: string): Promise<RecordedFile> {
  const stats = await stat(join(modelsDir, id));
  return { id, sha256, sizeBytes: stats.size, mtimeMs: stats.mtimeMs };
}
