/**
 * Per-model settings (sampling, context size, GPU layers, system prompt, LoRA adapters), kept in
 * <data>/model-settings.json. Only changed values are stored; reading fills in the defaults.
 * Writes are atomic (temporary file + rename) and validated with the contract's schema, plus the
 * checks a schema cannot make (context within the model's trained length, adapters that exist).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ModelSettings } from '../../common/api/contract.js';
import { InvalidSettingsError } from '../errors/index.js';
import { JsonStore } from '../storage/jsonFile.js';

export const DEFAULT_MODEL_SETTINGS: ModelSettings = {
  contextSize: 'auto',
  gpuLayers: 'auto',
  temperature: 0.7,
  topP: 0.9,
  topK: 40,
  minP: 0.05,
  repeatPenalty: 1.1,
  maxTokens: 2048,
  systemPrompt: '',
  loras: [],
};

const StoredFile = z.object({
  version: z.literal(1),
  models: z.record(z.string(), ModelSettings.partial()),
});

export interface SettingsChecks {
  /** The model's trained context length, when its header gives one. */
  trainedContextSize?: number;
  /** Throws InvalidSettingsError when a LoRA adapter file is unusable. */
  checkAdapter?: (path: string) => Promise<void>;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'settings'}: ${issue.message}` : 'invalid settings';
}

export class ModelSettingsStore {
  private constructor(
    private readonly store: JsonStore<z.infer<typeof StoredFile>>,
    private readonly models: Map<string, Partial<ModelSettings>>,
  ) {}

  static async open(dataDir: string): Promise<ModelSettingsStore> {
    const store = new JsonStore<z.infer<typeof StoredFile>>(join(dataDir, 'model-settings.json'));
    const parsed = StoredFile.safeParse(await store.read());
    return new ModelSettingsStore(store, new Map(parsed.success ? Object.entries(parsed.data.models) : []));
  }

  get(modelId: string): ModelSettings {
    return { ...DEFAULT_MODEL_SETTINGS, ...this.models.get(modelId) };
  }

  async set(
    modelId: string,
    patch: Partial<ModelSettings>,
    checks: SettingsChecks = {},
  ): Promise<ModelSettings> {
    const merged = ModelSettings.safeParse({ ...this.get(modelId), ...patch });
    if (!merged.success) throw new InvalidSettingsError(describeIssue(merged.error));
    const settings = merged.data;
    const trained = checks.trainedContextSize;
    if (typeof settings.contextSize === 'number' && trained && settings.contextSize > trained) {
      throw new InvalidSettingsError(
        `contextSize: ${settings.contextSize} is more than the model's trained context length (${trained}).`,
      );
    }
    for (const adapter of settings.loras) await checks.checkAdapter?.(adapter.path);
    const stored: Partial<ModelSettings> = {};
    for (const key of Object.keys(settings) as Array<keyof ModelSettings>) {
      if (JSON.stringify(settings[key]) !== JSON.stringify(DEFAULT_MODEL_SETTINGS[key])) {
        (stored as Record<string, unknown>)[key] = settings[key];
      }
    }
    this.models.set(modelId, stored);
    await this.save();
    return settings;
  }

  async reset(modelId: string): Promise<ModelSettings> {
    this.models.delete(modelId);
    await this.save();
    return this.get(modelId);
  }

  /** Forgets a deleted model's settings. */
  async forget(modelId: string): Promise<void> {
    if (this.models.delete(modelId)) await this.save();
  }

  private save(): Promise<void> {
    return this.store.save({ version: 1, models: Object.fromEntries(this.models) });
  }
}
