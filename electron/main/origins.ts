/**
 * Where the app's own pages come from. Pure (no Electron import) so policies built on it are unit-tested.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hearth';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The origin of a URL as `scheme://host[:port]`, or null when it has none.
 * Node's URL reports `null` as the origin of custom schemes such as `app:`, so it is rebuilt here.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host) return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/**
 * The origins allowed to talk to the main process and to be navigated to: the `app://` origin, plus the
 * electron-vite dev server's origin while developing.
 */
export function appOrigins(devServerUrl?: string): readonly string[] {
  const devOrigin = devServerUrl ? originOf(devServerUrl) : null;
  return devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN];
}

export function isAppOrigin(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}
