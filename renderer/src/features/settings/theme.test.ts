import { describe, expect, it } from 'vitest';
import { applyThemePreference, readThemePreference, THEME_STORAGE_KEY } from './theme.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    values,
  };
}

describe('theme preference', () => {
  it('defaults to the system theme, and ignores what it does not know', () => {
    expect(readThemePreference(memoryStorage())).toBe('system');
    expect(readThemePreference(memoryStorage({ [THEME_STORAGE_KEY]: 'purple' }))).toBe('system');
    expect(readThemePreference(null)).toBe('system');
  });

  it('is applied to the root element and remembered', () => {
    const storage = memoryStorage();
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    applyThemePreference('dark', root, storage);
    expect(root.dataset.theme).toBe('dark');
    expect(readThemePreference(storage)).toBe('dark');
  });

  it('still applies when storage refuses to write', () => {
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
    const broken = {
      setItem: () => {
        throw new Error('denied');
      },
    };
    applyThemePreference('light', root, broken);
    expect(root.dataset.theme).toBe('light');
  });
});
