/**
 * Privacy settings in <data>/privacy/settings.json (atomic writes, user-only file): offline mode and
 * debug logging. Both default to off; a missing or corrupt file reads as the defaults.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { JsonStore } from '../storage/jsonFile.js';

export const PrivacySettings = z.object({
  offline: z.boolean(),
  debugLogging: z.boolean(),
});
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = { offline: false, debugLogging: false };

async function stampOf(path: string): Promise<string> {
  return stat(path).then(
    (stats) => `${stats.mtimeMs}:${stats.size}:${stats.ino}`,
    () => 'missing',
  );
}

export class PrivacySettingsStore {
  private constructor(
    private readonly path: string,
    private readonly store: JsonStore<PrivacySettings>,
    private current: PrivacySettings,
    /** The file as last read or written: another process (the CLI) changing it shows as a new stamp. */
    private stamp: string,
  ) {}

  static async open(dir: string): Promise<PrivacySettingsStore> {
    const path = join(dir, 'settings.json');
    const store = new JsonStore<PrivacySettings>(path);
    const stamp = await stampOf(path);
    return new PrivacySettingsStore(path, store, PrivacySettingsStore.parse(await store.read()), stamp);
  }

  private static parse(value: unknown): PrivacySettings {
    const parsed = PrivacySettings.partial().safeParse(value);
    return { ...DEFAULT_PRIVACY_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  }

  /**
   * The settings as on disk now: re-read when another process (e.g. `hearth privacy offline on`
   * while the app runs) wrote the file. The gate asks this before every connection.
   */
  async refresh(): Promise<PrivacySettings> {
    const stamp = await stampOf(this.path);
    if (stamp !== this.stamp && stamp !== 'missing') {
      this.stamp = stamp;
      this.current = PrivacySettingsStore.parse(await this.store.read());
    }
    return this.get();
  }

  get(): PrivacySettings {
    return { ...this.current };
  }

  async set(patch: Partial<PrivacySettings>): Promise<PrivacySettings> {
    // Only the fields given (a transport may hand over `{offline: undefined}`).
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    this.current = PrivacySettings.parse({ ...this.current, ...given });
    await this.store.save(this.current);
    this.stamp = await stampOf(this.path);
    return this.get();
  }
}
