/**
 * The local API's settings and key in <data>/local-api.json (atomic writes), defaults filled in
 * on read. A key is generated the first time, so one always exists to show and copy.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { LocalApiSettings } from '../../common/api/contract.js';
import { InvalidSettingsError } from '../errors/index.js';
import { JsonStore } from '../storage/jsonFile.js';
import { generateApiKey } from './keys.js';

export const DEFAULT_LOCAL_API_PORT = 11435;

export const DEFAULT_LOCAL_API_SETTINGS: LocalApiSettings = {
  enabled: false,
  port: DEFAULT_LOCAL_API_PORT,
  bindAddress: '127.0.0.1',
  allowedOrigins: [],
  switchPolicy: 'never',
  queueLimit: 8,
};

// Read loosely: each setting and the key are checked on their own below.
const StoredFile = z.object({ settings: z.record(z.string(), z.unknown()), key: z.unknown() }).partial();
const StoredKey = z.string().min(16).max(200);
type Stored = { settings: LocalApiSettings; key: string };

export class LocalApiSettingsStore {
  private constructor(
    private readonly store: JsonStore<Stored>,
    private current: Stored,
  ) {}

  static async open(dataDir: string): Promise<LocalApiSettingsStore> {
    const store = new JsonStore<Stored>(join(dataDir, 'local-api.json'));
    const parsed = StoredFile.safeParse(await store.read());
    const data = parsed.success ? parsed.data : {};
    // Field by field, so one bad value falls back to its default and keeps the others.
    const settings = { ...DEFAULT_LOCAL_API_SETTINGS };
    for (const [name, value] of Object.entries(data.settings ?? {})) {
      const merged = LocalApiSettings.safeParse({ ...settings, [name]: value });
      if (merged.success) Object.assign(settings, merged.data);
    }
    const key = StoredKey.safeParse(data.key);
    const opened = new LocalApiSettingsStore(store, {
      settings,
      key: key.success ? key.data : generateApiKey(),
    });
    if (!key.success) await store.save(opened.current);
    return opened;
  }

  get settings(): LocalApiSettings {
    return structuredClone(this.current.settings);
  }

  get key(): string {
    return this.current.key;
  }

  async set(patch: Partial<LocalApiSettings>): Promise<LocalApiSettings> {
    const parsed = LocalApiSettings.safeParse({ ...this.current.settings, ...patch });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidSettingsError(
        `Local API: ${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid value'}`,
      );
    }
    this.current = { ...this.current, settings: parsed.data };
    await this.store.save(this.current);
    return this.settings;
  }

  async regenerateKey(): Promise<string> {
    this.current = { ...this.current, key: generateApiKey() };
    await this.store.save(this.current);
    return this.current.key;
  }
}
