/**
 * Serves the built renderer folder, and nothing outside it: the URL path is decoded, resolved
 * under the folder, and the real path (symbolic links followed) must still lie inside it.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(filePath: string): string {
  return contentTypes[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string; isIndex: boolean }
  | { kind: 'not-found' }
  | { kind: 'bad-path' };

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Maps a URL pathname to a file of `root`; `/` means index.html. Never leaves `root`. */
export async function lookupStatic(root: string, pathname: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad-path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) {
    return { kind: 'bad-path' };
  }
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..')) return { kind: 'bad-path' };

  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const base = resolve(root);
  const candidate = resolve(join(base, relative));
  if (!isInside(base, candidate)) return { kind: 'bad-path' };

  try {
    const [realBase, realCandidate] = await Promise.all([realpath(base), realpath(candidate)]);
    if (!isInside(realBase, realCandidate)) return { kind: 'not-found' };
    const info = await stat(realCandidate);
    if (!info.isFile()) return { kind: 'not-found' };
    return {
      kind: 'file',
      path: realCandidate,
      size: info.size,
      contentType: contentTypeOf(realCandidate),
      isIndex: relative === 'index.html',
    };
  } catch {
    return { kind: 'not-found' };
  }
}
