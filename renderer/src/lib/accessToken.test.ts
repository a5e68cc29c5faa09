import { describe, expect, it } from 'vitest';
import { socketUrl, takeAccessToken } from './accessToken.js';

/** The three browser objects the function touches, backed by one URL and one map. */
function browserPage(href: string) {
  const page = { href, items: new Map<string, string>() };
  const location = {
    get href() {
      return page.href;
    },
    get protocol() {
      return new URL(page.href).protocol;
    },
  } as Location;
  const history = {
    state: null,
    replaceState: (_state: unknown, _unused: string, url?: string | URL | null) => {
      if (url) page.href = String(url);
    },
  } as unknown as History;
  const storage = {
    getItem: (key: string) => page.items.get(key) ?? null,
    setItem: (key: string, value: string) => void page.items.set(key, value),
  } as Storage;
  return { page, location, history, storage };
}

describe('access token', () => {
  it('takes the token from the fragment, keeps it for reloads, and clears the address', () => {
    const { page, location, history, storage } = browserPage('http://127.0.0.1:4312/#token=abc');
    expect(takeAccessToken(location, history, storage)).toBe('abc');
    expect(page.href).toBe('http://127.0.0.1:4312/');
    // A reload: the address no longer has it, the tab still does.
    expect(takeAccessToken(location, history, storage)).toBe('abc');
  });

  it('takes the token from the query and keeps other parameters', () => {
    const { page, location, history, storage } = browserPage('http://127.0.0.1:4312/?token=xyz&view=chat');
    expect(takeAccessToken(location, history, storage)).toBe('xyz');
    expect(page.href).toBe('http://127.0.0.1:4312/?view=chat');
  });

  it('finds none when the host keeps it in a cookie', () => {
    const { location, history, storage } = browserPage('http://127.0.0.1:4312/');
    expect(takeAccessToken(location, history, storage)).toBeNull();
  });

  it('builds the socket address on the same host', () => {
    const { location } = browserPage('http://127.0.0.1:4312/index.html?x=1#y');
    expect(socketUrl(location, null)).toBe('ws://127.0.0.1:4312/api');
    expect(socketUrl(location, 'a b')).toBe('ws://127.0.0.1:4312/api?token=a+b');
    const secure = browserPage('https://localhost:8443/');
    expect(socketUrl(secure.location, null)).toBe('wss://localhost:8443/api');
  });
});
