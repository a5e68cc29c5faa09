import { describe, expect, it } from 'vitest';
import { appOrigins } from './origins.js';
import { isAllowedRendererRequest } from './requestPolicy.js';

describe('isAllowedRendererRequest', () => {
  const production = appOrigins();
  const dev = appOrigins('http://localhost:5173/');

  it('lets the app load its own pages and assets', () => {
    expect(isAllowedRendererRequest('app://hearth/index.html', production)).toBe(true);
    expect(isAllowedRendererRequest('app://hearth/assets/index-abc.js', production)).toBe(true);
    expect(isAllowedRendererRequest('APP://Hearth/assets/x.css', production)).toBe(true);
  });

  it('lets through schemes with no network behind them', () => {
    expect(isAllowedRendererRequest('data:image/png;base64,AAAA', production)).toBe(true);
    expect(isAllowedRendererRequest('blob:app://hearth/1234-5678', production)).toBe(true);
    expect(isAllowedRendererRequest('devtools://devtools/bundled/inspector.html', production)).toBe(true);
  });

  it.each([
    'https://huggingface.co/api/models',
    'http://127.0.0.1:8080/',
    'http://localhost:5173/',
    'ws://127.0.0.1:9000/api',
    'wss://evil.example/',
    'https://clients2.google.com/service/update2/crx',
    'https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic',
    'app://other/index.html',
    'app://hearth.evil.example/index.html',
    'file:///etc/passwd',
    'ftp://example.org/',
    'chrome-extension://abc/x.js',
    '//huggingface.co/',
    'not a url',
    '',
  ])('cancels %s in a packaged app', (url) => {
    expect(isAllowedRendererRequest(url, production)).toBe(false);
  });

  it('allows the dev server, its hot-reload socket, and nothing else while developing', () => {
    expect(isAllowedRendererRequest('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isAllowedRendererRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRendererRequest('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedRendererRequest('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedRendererRequest('https://example.org/', dev)).toBe(false);
  });
});
