/**
 * Which requests the renderer's session may make: the app's own pages and nothing else. Pure (no
 * Electron import) so the rule is unit-tested; security.ts applies it in session.webRequest.
 */
import { originOf } from './origins.js';

/**
 * Schemes that never reach the network: inline data, the page's own blobs, and the DevTools front end
 * (its remote resources use https and are refused like everything else).
 */
const LOCAL_SCHEMES: readonly string[] = ['data:', 'blob:', 'devtools:'];

/** A WebSocket to an allowed origin is allowed too (the dev server's hot reload). */
function httpEquivalent(url: string): string {
  return url.replace(/^ws(s?):/i, 'http$1:');
}

/**
 * True for a request the renderer may make: to one of `origins` (the `app://` origin, plus the dev
 * server's while developing) or to a scheme with no network behind it. Offline mode changes nothing
 * here: nothing else was ever allowed.
 */
export function isAllowedRendererRequest(url: string, origins: readonly string[]): boolean {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0]?.toLowerCase();
  if (!scheme) return false;
  if (LOCAL_SCHEMES.includes(scheme)) return true;
  if (scheme === 'file:') return false;
  const origin = originOf(httpEquivalent(url));
  return origin !== null && origins.includes(origin);
}
