/**
 * The network gate: every outbound HTTP request of Hearth's own code goes through here (model
 * downloads, remote GGUF headers, a remote catalog), and nothing else in electron/core, main or
 * host may open a connection (a lint rule in eslint.config.js forbids it). For each connection,
 * redirect hops included, the gate asks the policy (offline mode, hosts allowed for the purpose,
 * hosts the user named) and appends the attempt to the ledger before any byte leaves; a refused
 * request throws NetworkBlockedError. Redirects are followed by hand, so every hop is checked and
 * its headers stay visible: Hugging Face puts the LFS sha256 (`x-linked-etag`) on its first answer,
 * before redirecting to the CDN.
 */
import type { NetworkPurpose } from '../../common/api/contract.js';
import { NetworkBlockedError, NetworkFailedError } from '../errors/index.js';
import type { NetworkLedger } from '../privacy/NetworkLedger.js';
import type { NetworkPolicy } from '../privacy/networkPolicy.js';

export interface NetworkRequest {
  url: string;
  /** Why: decides the allowed hosts, and is shown in the ledger. */
  purpose: NetworkPurpose;
  /** The user's action behind it, e.g. "model download: Qwen3 4B Q4_K_M". */
  description: string;
  /** Hosts the user named for this action (a pasted URL's host); allowed besides the allow-list. */
  userNamedHosts?: readonly string[];
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
  signal?: AbortSignal;
}

export interface NetworkResponse {
  status: number;
  /** The URL that finally answered. */
  url: string;
  /** Headers of the final answer, with lower-case names. */
  headers: Headers;
  /** Headers of every redirect hop, first first (empty when there was none). */
  redirectHeaders: Headers[];
  body: ReadableStream<Uint8Array> | null;
}

export interface Network {
  request(request: NetworkRequest): Promise<NetworkResponse>;
}

export interface NetworkOptions {
  policy: NetworkPolicy;
  ledger: NetworkLedger;
  /** Called after each ledger append (the engine broadcasts new counts). */
  onRecorded?: () => void;
  /** Defaults to the global fetch (Node's undici). */
  fetch?: typeof fetch;
  maxRedirects?: number;
  userAgent?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createNetwork(options: NetworkOptions): Network {
  const { policy, ledger } = options;
  const doFetch = options.fetch ?? fetch;
  const maxRedirects = options.maxRedirects ?? 8;
  const userAgent = options.userAgent ?? 'Hearth';
  const recorded = () => options.onRecorded?.();

  return {
    async request({ url, purpose, description, userNamedHosts, headers = {}, method = 'GET', signal }) {
      const redirectHeaders: Headers[] = [];
      let current = parseUrl(url);
      for (let hop = 0; ; hop++) {
        if (current.protocol !== 'https:' && current.protocol !== 'http:') {
          throw new NetworkBlockedError(
            `Hearth fetches only http and https addresses, not ${current.protocol}`,
          );
        }
        const host = current.hostname.replace(/^\[|\]$/g, '');
        const decision = await policy.check({ host, purpose, ...(userNamedHosts ? { userNamedHosts } : {}) });
        const seq = await ledger.record({
          host,
          method,
          purpose,
          description,
          allowed: decision.allowed,
          ...(decision.allowed ? {} : { reason: decision.reason }),
        });
        recorded();
        if (!decision.allowed) {
          throw new NetworkBlockedError(
            `Hearth did not connect to ${host} (${description}): ` +
              `${decision.reason}.` +
              (decision.reason === 'offline mode is on' ? ' Turn it off in Settings > Privacy.' : ''),
          );
        }
        let response: Response;
        try {
          response = await doFetch(current, {
            method,
            headers: { 'user-agent': userAgent, ...headers },
            redirect: 'manual',
            signal,
          });
        } catch (error) {
          await ledger.complete(seq, { bytes: 0, error: errorText(error) }).catch(() => undefined);
          recorded();
          // A cancel stays a cancel; every other failure becomes one typed error callers can show.
          if (signal?.aborted) throw error;
          throw new NetworkFailedError(`Could not reach ${host} (${description}): ${errorText(error)}`, {
            cause: error,
          });
        }
        const location = response.headers.get('location');
        if (REDIRECTS.has(response.status) && location) {
          await response.body?.cancel().catch(() => undefined);
          await ledger.complete(seq, { bytes: 0, status: response.status }).catch(() => undefined);
          if (hop >= maxRedirects)
            throw new NetworkFailedError(`Too many redirects from ${host} (${description}).`);
          redirectHeaders.push(response.headers);
          current = parseUrl(location, current);
          continue;
        }
        return {
          status: response.status,
          url: current.toString(),
          headers: response.headers,
          redirectHeaders,
          body: countBytes(response.body, (result) => {
            void ledger
              .complete(seq, { ...result, status: response.status })
              .then(recorded)
              .catch(() => undefined);
          }),
        };
      }
    },
  };
}

function parseUrl(url: string, base?: URL): URL {
  try {
    return new URL(url, base);
  } catch (error) {
    throw new NetworkFailedError(`Not a valid address: ${url.slice(0, 200)}`, { cause: error });
  }
}

function errorText(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** Passes a body through, counting its bytes; `done` runs once when it ends, fails or is cancelled. */
function countBytes(
  body: ReadableStream<Uint8Array> | null,
  done: (result: { bytes: number; error?: string }) => void,
): ReadableStream<Uint8Array> | null {
  if (!body) {
    done({ bytes: 0 });
    return null;
  }
  let bytes = 0;
  let finished = false;
  const finish = (error?: string) => {
    if (finished) return;
    finished = true;
    done({ bytes, ...(error ? { error } : {}) });
  };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          finish();
          controller.close();
          return;
        }
        bytes += value.byteLength;
        controller.enqueue(value);
      } catch (error) {
        finish(errorText(error));
        controller.error(error);
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

/** Reads a whole (small) response body as text, e.g. a catalog. */
export async function readText(response: NetworkResponse): Promise<string> {
  if (!response.body) return '';
  return new Response(response.body).text();
}
