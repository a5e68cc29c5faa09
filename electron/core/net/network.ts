/**
 * Every outbound HTTP request of the core goes through here (downloads, remote GGUF headers,
 * a remote catalog), so one place can later decide what may reach the network. Redirects are
 * followed by hand, so headers of every hop stay visible: Hugging Face puts the LFS sha256
 * (`x-linked-etag`) on its first answer, before redirecting to the CDN.
 */
export interface NetworkRequest {
  url: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
  /** What the request is for, in words a user reads (e.g. "update check"), for the network gate. */
  purpose?: string;
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
  /** Defaults to the global fetch (Node's undici). */
  fetch?: typeof fetch;
  maxRedirects?: number;
  userAgent?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createNetwork(options: NetworkOptions = {}): Network {
  const doFetch = options.fetch ?? fetch;
  const maxRedirects = options.maxRedirects ?? 8;
  const userAgent = options.userAgent ?? 'Hearth';
  return {
    async request({ url, headers = {}, method = 'GET', signal }) {
      const redirectHeaders: Headers[] = [];
      let current = new URL(url);
      for (let hop = 0; ; hop++) {
        if (current.protocol !== 'https:' && current.protocol !== 'http:') {
          throw new Error(`Only http and https addresses can be fetched, not ${current.protocol}`);
        }
        const response = await doFetch(current, {
          method,
          headers: { 'user-agent': userAgent, ...headers },
          redirect: 'manual',
          signal,
        });
        const location = response.headers.get('location');
        if (REDIRECTS.has(response.status) && location) {
          if (hop >= maxRedirects) throw new Error(`Too many redirects from ${url}`);
          redirectHeaders.push(response.headers);
          await response.body?.cancel().catch(() => undefined);
          current = new URL(location, current);
          continue;
        }
        return {
          status: response.status,
          url: current.toString(),
          headers: response.headers,
          redirectHeaders,
          body: response.body,
        };
      }
    },
  };
}

/** Reads a whole (small) response body as text, e.g. a catalog. */
export async function readText(response: NetworkResponse): Promise<string> {
  if (!response.body) return '';
  return new Response(response.body).text();
}
