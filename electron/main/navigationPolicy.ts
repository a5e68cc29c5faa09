/**
 * Where the app's web contents may go. Pure (no Electron import) so the rules are unit-tested.
 */
import { isAppOrigin } from './origins.js';

/**
 * Hosts whose https pages a link in the app may open in the user's browser. Everything else is dropped:
 * model output is untrusted text, and an open-anything rule would let it launch arbitrary URLs.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['huggingface.co', 'github.com'];

/** True only for a plain `https:` URL on an allow-listed host: no credentials, no custom port. */
export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    allowedHosts.includes(parsed.hostname.toLowerCase())
  );
}

/** A window may only (re)load the app's own pages; `file:`, other schemes and other origins are refused. */
export function isAllowedNavigation(url: string, origins: readonly string[]): boolean {
  if (url.trim().toLowerCase().startsWith('file:')) return false;
  return isAppOrigin(url, origins);
}
