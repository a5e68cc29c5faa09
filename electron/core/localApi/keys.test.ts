import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApiKey, keysMatch } from './keys.js';
import { DEFAULT_LOCAL_API_SETTINGS, LocalApiSettingsStore } from './LocalApiSettingsStore.js';

describe('API keys', () => {
  it('are random and long', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^hearth-[A-Za-z0-9_-]{32}$/);
  });

  it('match only exactly', () => {
    const key = generateApiKey();
    expect(keysMatch(key, key)).toBe(true);
    expect(keysMatch(`${key} `, key)).toBe(false);
    expect(keysMatch(key.slice(0, -1), key)).toBe(false);
    expect(keysMatch('', key)).toBe(false);
    expect(keysMatch(undefined, key)).toBe(false);
    expect(keysMatch('', '')).toBe(false);
  });
});

describe('LocalApiSettingsStore', () => {
  it('starts off on 127.0.0.1 with a key it saves, and keeps good values from a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hearth-localapi-'));
    try {
      const first = await LocalApiSettingsStore.open(dir);
      expect(first.settings).toEqual(DEFAULT_LOCAL_API_SETTINGS);
      expect(DEFAULT_LOCAL_API_SETTINGS).toMatchObject({ enabled: false, bindAddress: '127.0.0.1' });
      const saved = JSON.parse(await readFile(join(dir, 'local-api.json'), 'utf8')) as { key: string };
      expect(saved.key).toBe(first.key);

      await writeFile(
        join(dir, 'local-api.json'),
        JSON.stringify({ key: first.key, settings: { port: 'nope', enabled: true, queueLimit: 3 } }),
      );
      const reopened = await LocalApiSettingsStore.open(dir);
      expect(reopened.settings).toMatchObject({
        port: DEFAULT_LOCAL_API_SETTINGS.port,
        enabled: true,
        queueLimit: 3,
      });
      await expect(reopened.set({ port: 70000 })).rejects.toMatchObject({ code: 'INVALID_SETTINGS' });

      await writeFile(join(dir, 'local-api.json'), '{ not json');
      const fresh = await LocalApiSettingsStore.open(dir);
      expect(fresh.settings).toEqual(DEFAULT_LOCAL_API_SETTINGS);
      expect(fresh.key).not.toBe(first.key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
