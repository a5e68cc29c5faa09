/** Update-check preferences in <data>/updates.json: off until the user turns them on. */
import { join } from 'node:path';
import { UpdateSettings } from '../../common/api/contract.js';
import { InvalidSettingsError } from '../errors/index.js';
import { JsonStore } from '../storage/jsonFile.js';

/** Where release information is read from unless the user names another feed. */
export const DEFAULT_RELEASES_URL = 'https://api.github.com/repos/hearth-app/hearth/releases/latest';

export const DEFAULT_UPDATE_SETTINGS: UpdateSettings = {
  checkForUpdates: false,
  releasesUrl: DEFAULT_RELEASES_URL,
};

export class UpdateSettingsStore {
  private constructor(
    private readonly store: JsonStore<UpdateSettings>,
    private current: UpdateSettings,
  ) {}

  static async open(dataDir: string, defaults: Partial<UpdateSettings> = {}): Promise<UpdateSettingsStore> {
    const store = new JsonStore<UpdateSettings>(join(dataDir, 'updates.json'));
    const parsed = UpdateSettings.partial().safeParse(await store.read());
    return new UpdateSettingsStore(store, {
      ...DEFAULT_UPDATE_SETTINGS,
      ...defaults,
      ...(parsed.success ? parsed.data : {}),
    });
  }

  get(): UpdateSettings {
    return { ...this.current };
  }

  async set(patch: Partial<UpdateSettings>): Promise<UpdateSettings> {
    const parsed = UpdateSettings.safeParse({ ...this.current, ...patch });
    if (!parsed.success)
      throw new InvalidSettingsError(parsed.error.issues[0]?.message ?? 'invalid settings');
    this.current = parsed.data;
    await this.store.save(this.current);
    return this.get();
  }
}
