/** App-wide settings in <data>/settings.json (atomic writes), defaults filled in on read. */
import { join } from 'node:path';
import { AppSettings } from '../../common/api/contract.js';
import { InvalidSettingsError } from '../errors/index.js';
import { JsonStore } from '../storage/jsonFile.js';

export const DEFAULT_APP_SETTINGS: AppSettings = { idleUnloadMinutes: 15 };

export class AppSettingsStore {
  private constructor(
    private readonly store: JsonStore<AppSettings>,
    private current: AppSettings,
  ) {}

  static async open(dataDir: string): Promise<AppSettingsStore> {
    const store = new JsonStore<AppSettings>(join(dataDir, 'settings.json'));
    const parsed = AppSettings.partial().safeParse(await store.read());
    return new AppSettingsStore(store, { ...DEFAULT_APP_SETTINGS, ...(parsed.success ? parsed.data : {}) });
  }

  get(): AppSettings {
    return { ...this.current };
  }

  async set(patch: Partial<AppSettings>): Promise<AppSettings> {
    const parsed = AppSettings.safeParse({ ...this.current, ...patch });
    if (!parsed.success)
      throw new InvalidSettingsError(parsed.error.issues[0]?.message ?? 'invalid settings');
    this.current = parsed.data;
    await this.store.save(this.current);
    return this.get();
  }
}
