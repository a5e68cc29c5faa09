import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentTypeFor, isInside, routeAppRequest } from './appRoutes.js';

const root = resolve('/srv/hearth/out/renderer');
const get = (url: string) => routeAppRequest({ url, method: 'GET' }, root);

describe('routeAppRequest', () => {
  it('serves files under the renderer folder with their content type', () => {
    const route = get('app://hearth/assets/index-abc123.js');
    expect(route).toMatchObject({ kind: 'file', filePath: join(root, 'assets', 'index-abc123.js') });
    expect(route.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('serves index.html for the root and for folders', () => {
    expect(get('app://hearth/')).toMatchObject({ kind: 'file', filePath: join(root, 'index.html') });
    expect(get('app://hearth')).toMatchObject({ kind: 'file', filePath: join(root, 'index.html') });
    expect(get('app://hearth/index.html').headers['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('ignores the query and the fragment', () => {
    expect(get('app://hearth/index.html?x=1#token=abc')).toMatchObject({
      kind: 'file',
      filePath: join(root, 'index.html'),
    });
  });

  it('decodes escaped names', () => {
    expect(get('app://hearth/assets/a%20b.css')).toMatchObject({
      kind: 'file',
      filePath: join(root, 'assets', 'a b.css'),
    });
  });

  it.each([
    'app://hearth/..%2F..%2Fpackage.json',
    'app://hearth/assets/..%2F..%2F..%2Fetc%2Fpasswd',
    'app://hearth/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://hearth/..%5C..%5Cwindows%5Cwin.ini',
    'app://hearth/index.html%00.png',
    'app://hearth/%E0%A4%A',
  ])('refuses %s with a 404', (url) => {
    const route = get(url);
    expect(route.kind).toBe('refused');
    if (route.kind === 'refused') expect(route.status).toBe(404);
  });

  it('keeps an encoded absolute path inside the folder', () => {
    expect(get('app://hearth/%2Fetc%2Fpasswd')).toMatchObject({
      kind: 'file',
      filePath: join(root, 'etc', 'passwd'),
    });
  });

  it('refuses other hosts and schemes', () => {
    for (const url of [
      'app://evil/index.html',
      'file:///etc/passwd',
      'https://hearth/index.html',
      'nonsense',
    ]) {
      expect(get(url)).toMatchObject({ kind: 'refused', status: 404 });
    }
  });

  it('refuses methods other than GET and HEAD', () => {
    expect(routeAppRequest({ url: 'app://hearth/index.html', method: 'HEAD' }, root).kind).toBe('file');
    const route = routeAppRequest({ url: 'app://hearth/index.html', method: 'POST' }, root);
    expect(route).toMatchObject({ kind: 'refused', status: 405 });
    expect(route.headers['Allow']).toBe('GET, HEAD');
  });

  it('sends the strict CSP on every response, refusals included', () => {
    for (const url of ['app://hearth/index.html', 'app://hearth/..%2Fx', 'app://other/']) {
      const headers = get(url).headers;
      expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(headers['X-DNS-Prefetch-Control']).toBe('off');
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
});

describe('contentTypeFor', () => {
  it('knows the types a Vite build emits and falls back to octet-stream', () => {
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a.wasm')).toBe('application/wasm');
    expect(contentTypeFor('Makefile')).toBe('application/octet-stream');
  });
});

describe('isInside', () => {
  it('accepts the folder and what lies below it, nothing else', () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(root, join(root, 'a', 'b.js'))).toBe(true);
    expect(isInside(root, join(root, '..foo'))).toBe(true);
    expect(isInside(root, resolve(root, '..'))).toBe(false);
    expect(isInside(root, resolve(root, '../renderer-evil/x.js'))).toBe(false);
    expect(isInside(root, resolve('/etc/passwd'))).toBe(false);
  });
});
