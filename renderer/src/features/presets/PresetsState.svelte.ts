/** Assistant presets: listed from the core, kept fresh from presets.changed, created and edited here. */
import type { Params, Preset } from '../../../../electron/common/api/contract.js';
import type { HearthClient } from '../../lib/api.js';

export class PresetsState {
  items = $state.raw<readonly Preset[]>([]);
  problem = $state<string | null>(null);

  private readonly api: HearthClient;

  constructor(api: HearthClient) {
    this.api = api;
  }

  get defaultPreset(): Preset | null {
    return this.items.find((preset) => preset.isDefault) ?? this.items[0] ?? null;
  }

  start(): () => void {
    void this.load();
    return this.api.on('presets.changed', () => void this.load());
  }

  async load(): Promise<void> {
    try {
      this.items = await this.api.call('presets.list', {});
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  async create(fields: Params<'presets.create'>): Promise<Preset> {
    const preset = await this.api.call('presets.create', fields);
    await this.load();
    return preset;
  }

  async update(fields: Params<'presets.update'>): Promise<Preset> {
    const preset = await this.api.call('presets.update', fields);
    await this.load();
    return preset;
  }

  async remove(presetId: string): Promise<void> {
    await this.api.call('presets.delete', { presetId });
    await this.load();
  }
}
