/**
 * Privacy settings in <data>/privacy/settings.json (atomic writes, user-only file): offline mode and
 * debug logging. Both default to off; a missing or corrupt file reads as the defaults.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { JsonStore } from '../storage/jsonFile.js';

export const PrivacySettings = z.object({
  offline: z.boolean(),
  debugLogging: z.boolean(),
});
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = { offline: false, debugLogging: false };

export class PrivacySettingsStore {
  private constructor(
    private readonly store: JsonStore<PrivacySettings>,
    private current: PrivacySettings,
  ) {}

  static async open(dir: string): Promise<PrivacySettingsStore> {
    const store = new JsonStore<PrivacySettings>(join(dir, 'settings.json'));
    const parsed = PrivacySettings.partial().safeParse(await store.read());
    return new PrivacySettingsStore(store, {
      ...DEFAULT_PRIVACY_SETTINGS,
      ...(parsed.success ? parsed.data : {}),
    });
  }

  get(): PrivacySettings {
    return { ...this.current };
  }

  async set(patch: Partial<PrivacySettings>): Promise<PrivacySettings> {
    // Only the fields given (a transport may hand over `{offline: undefined}`).
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    this.current = PrivacySettings.parse({ ...this.current, ...given });
    await this.store.save(this.current);
    return this.get();
  }
}
