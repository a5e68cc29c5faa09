/**
 * The colour theme: light, dark, or whatever the system prefers. A preference of this window's
 * user interface only, so it lives in localStorage and is applied as `data-theme` on <html>
 * before the first paint (app.css maps it to `color-scheme`, which drives every colour).
 */
export type ThemePreference = 'light' | 'dark' | 'system';

export const THEME_STORAGE_KEY = 'hearth.theme';
export const themePreferences: readonly ThemePreference[] = ['system', 'light', 'dark'];

function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'light' || value === 'dark' || value === 'system';
}

export function readThemePreference(storage: Pick<Storage, 'getItem'> | null): ThemePreference {
  try {
    const stored = storage?.getItem(THEME_STORAGE_KEY);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function applyThemePreference(
  preference: ThemePreference,
  root: HTMLElement,
  storage: Pick<Storage, 'setItem'> | null,
): void {
  root.dataset.theme = preference;
  try {
    storage?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Storage can be unavailable (a locked-down profile): the theme still applies to this page.
  }
}
