/**
 * Decides what an `app://` request gets: a file under the renderer build folder, or a refusal.
 * Pure (no Electron import) so the path checks and headers are unit-tested; protocol.ts does the I/O.
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './origins.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return contentTypes[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every `app://` response carries, refusals included. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
    // The page resolves no names ahead of time (Chromium's switch turns it off too).
    'X-DNS-Prefetch-Control': 'off',
  };
}

/** True when `candidate` is `root` itself or lies below it (both absolute). */
export function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

export type AppRoute =
  | { kind: 'file'; filePath: string; headers: Record<string, string> }
  | { kind: 'refused'; status: 404 | 405; body: string; headers: Record<string, string> };

function refuse(status: 404 | 405): AppRoute {
  const body = status === 404 ? 'Not found' : 'Method not allowed';
  const headers = responseHeaders('text/plain; charset=utf-8');
  if (status === 405) headers['Allow'] = 'GET, HEAD';
  return { kind: 'refused', status, body, headers };
}

/**
 * Maps an `app://hearth/...` request to a file under `rootDir` (the renderer build folder). Anything
 * else (another host, a path that escapes the folder once decoded, a NUL byte, a method other than
 * GET/HEAD) is refused.
 */
export function routeAppRequest(request: { url: string; method: string }, rootDir: string): AppRoute {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(404);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404);

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return refuse(404);
  }
  // No NUL bytes, no backslashes (a separator on Windows), no `..` segments once decoded.
  if (/[\0\\]/.test(pathname) || pathname.split('/').includes('..')) return refuse(404);
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html';

  const root = resolve(rootDir);
  const filePath = resolve(root, `.${pathname.startsWith('/') ? '' : '/'}${pathname}`);
  if (filePath === root || !isInside(root, filePath)) return refuse(404);
  return { kind: 'file', filePath, headers: responseHeaders(contentTypeFor(filePath)) };
}

/** The refusal served when a routed file cannot be read (missing, a folder, outside after symlinks). */
export function notFound(): Extract<AppRoute, { kind: 'refused' }> {
  return refuse(404) as Extract<AppRoute, { kind: 'refused' }>;
}
