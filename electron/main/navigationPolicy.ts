/**
 * Where the app's web contents may go. Pure (no Electron import) so the rules are unit-tested.
 */
import { isAppOrigin } from './origins.js';

/**
 * True only for a plain `https:` URL: no credentials, no custom port. Which https sites are fine is the
 * user's call, asked every time (externalLinks.ts): model output is untrusted text.
 */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/** A window may only (re)load the app's own pages; `file:`, other schemes and other origins are refused. */
export function isAllowedNavigation(url: string, origins: readonly string[]): boolean {
  if (url.trim().toLowerCase().startsWith('file:')) return false;
  return isAppOrigin(url, origins);
}
