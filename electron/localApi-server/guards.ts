/**
 * The checks every request passes before it reaches the API: the Host header (against DNS
 * rebinding), the Origin (CORS only for allow-listed origins) and the key.
 */
import { isIP } from 'node:net';

/**
 * Whether a Host header may address this server. A DNS rebinding attack reaches 127.0.0.1
 * through a name the attacker controls, so only `localhost` and IP literals are accepted, with
 * the server's own port (or none). Clients on other machines (a non-loopback bind) use the IP.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(hostHeader.trim());
  if (!match) return false;
  const [, rawHost, rawPort] = match;
  if (rawPort !== undefined && Number(rawPort) !== port) return false;
  const host = rawHost!.startsWith('[') ? rawHost!.slice(1, -1) : rawHost!;
  return host.toLowerCase() === 'localhost' || isIP(host) !== 0;
}

/** The origin to allow in CORS headers, or null when the request's Origin is not allow-listed. */
export function allowedOrigin(origin: string | undefined, allowList: readonly string[]): string | null {
  if (!origin) return null;
  const normalized = origin.replace(/\/+$/, '').toLowerCase();
  return allowList.some((allowed) => allowed.replace(/\/+$/, '').toLowerCase() === normalized)
    ? origin
    : null;
}

/** The key from `Authorization: Bearer KEY`, if any. */
export function bearerKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
