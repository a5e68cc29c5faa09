/**
 * Assistant presets in <data>/chats/presets.json (atomic writes). There is always exactly one
 * default preset; a first run gets "General assistant", a sensible start for anyone.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Preset, type SamplingSettings } from '../../common/api/contract.js';
import { InvalidOperationError, PresetNotFoundError } from '../errors/index.js';
import { writeFileAtomic } from './store/atomicWrite.js';

export const DEFAULT_SAMPLING: SamplingSettings = {
  temperature: 0.7,
  topK: 40,
  topP: 0.9,
  minP: 0.05,
  maxTokens: null,
};

export const DEFAULT_PRESET_ID = 'default';

export const DEFAULT_SYSTEM_PROMPT =
  'You are a helpful, honest assistant running privately on this computer. ' +
  'Answer clearly and concisely. Say so when you are not sure.';

const PresetsFile = z.object({ version: z.literal(1), presets: z.array(Preset) });

export interface PresetFields {
  name?: string;
  systemPrompt?: string;
  /** '' clears it. */
  modelId?: string;
  sampling?: Partial<SamplingSettings>;
  collections?: string[];
  isDefault?: true;
}

export class PresetStore {
  private presets: Preset[] = [];
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, now: () => number = Date.now): Promise<PresetStore> {
    const store = new PresetStore(join(dir, 'presets.json'), now);
    try {
      const parsed = PresetsFile.safeParse(JSON.parse(await readFile(store.path, 'utf8')));
      if (parsed.success) store.presets = parsed.data.presets;
    } catch {
      // First run, or an unreadable file: start from the built-in default.
    }
    if (store.presets.length === 0) {
      const at = now();
      store.presets = [
        {
          id: DEFAULT_PRESET_ID,
          name: 'General assistant',
          systemPrompt: DEFAULT_SYSTEM_PROMPT,
          modelId: null,
          sampling: { ...DEFAULT_SAMPLING },
          collections: [],
          isDefault: true,
          createdAt: at,
          updatedAt: at,
        },
      ];
    }
    if (!store.presets.some((p) => p.isDefault)) (store.presets[0] as Preset).isDefault = true;
    return store;
  }

  list(): Preset[] {
    return this.presets.map((preset) => structuredClone(preset));
  }

  get(id: string): Preset {
    const preset = this.presets.find((p) => p.id === id);
    if (!preset) throw new PresetNotFoundError(`No preset ${id}.`);
    return structuredClone(preset);
  }

  default(): Preset {
    return structuredClone(this.presets.find((p) => p.isDefault) ?? (this.presets[0] as Preset));
  }

  async create(fields: PresetFields & { name: string }): Promise<Preset> {
    const at = this.now();
    const preset: Preset = {
      id: randomUUID(),
      name: fields.name.trim(),
      systemPrompt: fields.systemPrompt ?? DEFAULT_SYSTEM_PROMPT,
      modelId: fields.modelId ? fields.modelId : null,
      sampling: { ...DEFAULT_SAMPLING, ...fields.sampling },
      collections: fields.collections ?? [],
      isDefault: false,
      createdAt: at,
      updatedAt: at,
    };
    this.presets.push(preset);
    if (fields.isDefault) this.makeDefault(preset);
    await this.save();
    return structuredClone(preset);
  }

  async update(id: string, fields: PresetFields): Promise<Preset> {
    const preset = this.presets.find((p) => p.id === id);
    if (!preset) throw new PresetNotFoundError(`No preset ${id}.`);
    if (fields.name !== undefined) preset.name = fields.name.trim();
    if (fields.systemPrompt !== undefined) preset.systemPrompt = fields.systemPrompt;
    if (fields.modelId !== undefined) preset.modelId = fields.modelId || null;
    if (fields.sampling) preset.sampling = { ...preset.sampling, ...fields.sampling };
    if (fields.collections) preset.collections = fields.collections;
    if (fields.isDefault) this.makeDefault(preset);
    preset.updatedAt = this.now();
    await this.save();
    return structuredClone(preset);
  }

  async delete(id: string): Promise<void> {
    const preset = this.presets.find((p) => p.id === id);
    if (!preset) throw new PresetNotFoundError(`No preset ${id}.`);
    if (preset.isDefault) {
      throw new InvalidOperationError(
        `"${preset.name}" is the default preset. Make another preset the default before deleting it.`,
      );
    }
    this.presets = this.presets.filter((p) => p !== preset);
    await this.save();
  }

  private makeDefault(preset: Preset): void {
    for (const other of this.presets) other.isDefault = other === preset;
  }

  private save(): Promise<void> {
    const content = JSON.stringify({ version: 1, presets: this.presets });
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.path, content));
    return this.writing;
  }
}
