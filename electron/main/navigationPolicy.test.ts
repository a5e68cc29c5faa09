import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAllowedNavigation } from './navigationPolicy.js';
import { APP_ORIGIN, appOrigins, originOf } from './origins.js';

describe('isAllowedExternalUrl', () => {
  it('allows plain https pages on any host (the user is asked before each one opens)', () => {
    expect(isAllowedExternalUrl('https://huggingface.co/models?library=gguf')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/withcatai/node-llama-cpp')).toBe(true);
    expect(isAllowedExternalUrl('https://example.org/a#b')).toBe(true);
  });

  it.each([
    'http://huggingface.co/',
    'https://user:pass@huggingface.co/',
    'https://huggingface.co:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://hearth/index.html',
    'smb://huggingface.co/share',
    'mailto:someone@example.org',
    'ms-msdt:/id PCWDiagnostic',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  const production = appOrigins();
  const dev = appOrigins('http://localhost:5173/');

  it('allows the app origin only', () => {
    expect(isAllowedNavigation('app://hearth/index.html', production)).toBe(true);
    expect(isAllowedNavigation('app://hearth/index.html#/chat', production)).toBe(true);
    expect(isAllowedNavigation('app://other/index.html', production)).toBe(false);
    expect(isAllowedNavigation('https://huggingface.co/', production)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', production)).toBe(false);
    expect(isAllowedNavigation('about:blank', production)).toBe(false);
    expect(isAllowedNavigation('data:text/html,hi', production)).toBe(false);
  });

  it('allows the dev server origin while developing', () => {
    expect(isAllowedNavigation('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/index.html', dev)).toBe(false);
  });

  it('blocks file: URLs whatever the origins', () => {
    expect(isAllowedNavigation('file:///etc/passwd', production)).toBe(false);
    expect(isAllowedNavigation('FILE://host/share', [...production, 'file://host'])).toBe(false);
  });
});

describe('originOf', () => {
  it('gives custom schemes an origin (Node reports "null" for them)', () => {
    expect(originOf('app://hearth/index.html')).toBe(APP_ORIGIN);
    expect(originOf('APP://Hearth/x')).toBe(APP_ORIGIN);
    expect(originOf('http://127.0.0.1:5173/a')).toBe('http://127.0.0.1:5173');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('garbage')).toBeNull();
  });
});
