/**
 * Who may talk to the headless host: the holder of its random token, through an address that
 * names this loopback port.
 *
 * Token scheme (every request and every socket must carry the token):
 * - The printed address is `http://127.0.0.1:PORT/#token=T`. The fragment never reaches the
 *   server, so the browser's first `GET /` has no token and gets a 401. That 401 page holds a
 *   tiny inline script (allowed by its hash in the page's CSP, nothing else runs) which reads
 *   `#token=` and reloads as `/?token=T`. It carries nothing of the app.
 * - `GET /?token=T` with the right token sets an HttpOnly, SameSite=Strict cookie scoped to
 *   this port's name and redirects to `/`, so the token leaves the address bar at once.
 * - Every later request and the WebSocket upgrade must present the token: the cookie (what a
 *   browser sends by itself), `?token=T`, or `Authorization: Bearer T` (scripts).
 * Tokens are compared in constant time. The Host header must name this loopback port exactly
 * (DNS-rebinding defence) and a browser's WebSocket Origin must be this same origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_BYTES = 32;

export function createToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Constant-time equality; hashing first makes the inputs equal in length and hides the token's. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Cookies are shared across ports of one host name, so each host port gets its own cookie. */
export function cookieName(port: number): string {
  return `hearth_token_${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export type TokenSource = 'query' | 'cookie' | 'bearer';

export interface PresentedToken {
  source: TokenSource;
  value: string;
}

/** Every token the request presents, most explicit first (query, then bearer, then cookie). */
export function presentedTokens(request: IncomingMessage, url: URL, port: number): PresentedToken[] {
  const found: PresentedToken[] = [];
  const query = url.searchParams.get('token');
  if (query !== null) found.push({ source: 'query', value: query });
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    found.push({ source: 'bearer', value: authorization.slice('Bearer '.length).trim() });
  }
  const cookie = readCookie(request.headers.cookie, cookieName(port));
  if (cookie !== undefined) found.push({ source: 'cookie', value: cookie });
  return found;
}

/**
 * The request is authorized when the first token it presents is right. A wrong explicit token is
 * not rescued by a valid cookie: the caller asked for something else and should hear so.
 */
export function isAuthorized(presented: PresentedToken[], expected: string): boolean {
  const first = presented[0];
  return first !== undefined && tokensMatch(first.value, expected);
}

/** The Host values a request may name: the loopback address or `localhost`, with this port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader !== undefined && allowedHosts(port).includes(hostHeader.toLowerCase());
}

/**
 * A browser always sends Origin on a WebSocket upgrade; it must be the page's own origin (the
 * same host the request names). Non-browser clients send none and are judged by the token alone.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  return hostHeader !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}
