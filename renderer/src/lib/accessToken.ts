/**
 * The headless host's access token, as far as the page needs it. The host normally keeps it in
 * an HttpOnly cookie (its 401 page turns `#token=T` into `/?token=T`, which sets the cookie and
 * redirects), so the socket carries it by itself. Where a page is opened with the token still in
 * its address, it is kept for this tab (so a reload works) and removed from the address bar.
 */
const storageKey = 'hearth.accessToken';

export function takeAccessToken(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const fromAddress = url.searchParams.get('token') ?? hash.get('token');
  if (fromAddress) {
    storage.setItem(storageKey, fromAddress);
    url.searchParams.delete('token');
    hash.delete('token');
    const rest = hash.toString();
    url.hash = rest ? `#${rest}` : '';
    history.replaceState(history.state, '', url.toString());
    return fromAddress;
  }
  return storage.getItem(storageKey);
}

/** The token this tab keeps (when the page was opened with one), for requests outside the socket. */
export function storedAccessToken(storage: Storage): string | null {
  return storage.getItem(storageKey);
}

/** `ws(s)://<this host>/api`, with the token when the page knows it. */
export function socketUrl(location: Location, token: string | null): string {
  const url = new URL('/api', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  if (token) url.searchParams.set('token', token);
  return url.toString();
}
