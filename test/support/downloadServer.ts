/**
 * A local stand-in for Hugging Face on 127.0.0.1: serves files with range requests, answers
 * `/{repo}/resolve/{revision}/{file}` with a redirect that carries the LFS sha256 in
 * `x-linked-etag` (as huggingface.co does) to a `/cdn/...` address that serves the bytes, and
 * can be told to misbehave: cut the connection part way, answer 503, go slowly, or corrupt a byte.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  bytes: Buffer;
  /** Leave out the sha256 headers (a plain web server). */
  noHash?: boolean;
}

export interface Faults {
  /** Cut the connection once this fraction (0..1) of the file has been sent; applies `cutTimes` times. */
  cutAtFraction?: number;
  cutTimes?: number;
  /** Answer this many requests for file bytes with 503 first. */
  fail503Times?: number;
  /** Send the body at about this rate. */
  bytesPerSecond?: number;
  /** Flip one byte in the middle of every body sent. */
  corrupt?: boolean;
  /** Ignore Range headers (always send the whole file with 200). */
  ignoreRange?: boolean;
}

export interface DownloadServer {
  url: string;
  port: number;
  /** Adds or replaces a file at a path such as `owner/repo/file.gguf` (repo files) or `/plain/x.gguf`. */
  serve(path: string, file: ServedFile): void;
  /** Serves a JSON document (e.g. `/catalog.json`). */
  serveJson(path: string, value: unknown): void;
  faults: Faults;
  /** Every request: method, path and Range header. */
  requests: Array<{ method: string; path: string; range?: string }>;
  sha256(path: string): string;
  close(): Promise<void>;
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function startDownloadServer(): Promise<DownloadServer> {
  const files = new Map<string, ServedFile>();
  const json = new Map<string, string>();
  const faults: Faults = {};
  const requests: DownloadServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const key = (path: string) => (path.startsWith('/') ? path : `/${path}`);

  /** `/owner/repo/resolve/rev/file.gguf` -> `/owner/repo/file.gguf` */
  function repoFileOf(pathname: string): string | undefined {
    const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(pathname);
    return match ? `/${match[1]}/${match[2]}` : undefined;
  }

  function sendBody(response: ServerResponse, body: Buffer, fullLength: number, start: number): void {
    let data = body;
    if (faults.corrupt && data.length > 0) {
      data = Buffer.from(data);
      const middle = Math.floor(data.length / 2);
      data[middle] = (data[middle] ?? 0) ^ 0xff;
    }
    let cutAfter = data.length;
    if (faults.cutAtFraction !== undefined && (faults.cutTimes ?? 1) > 0) {
      const cutAt = Math.floor(fullLength * faults.cutAtFraction);
      if (cutAt > start && cutAt < start + data.length) {
        cutAfter = cutAt - start;
        faults.cutTimes = (faults.cutTimes ?? 1) - 1;
      }
    }
    const chunk = faults.bytesPerSecond ? Math.max(1, Math.floor(faults.bytesPerSecond / 20)) : 64 * 1024;
    let offset = 0;
    const step = () => {
      if (response.destroyed) return;
      if (offset >= cutAfter) {
        if (cutAfter < data.length) response.socket?.destroy();
        else response.end();
        return;
      }
      const end = Math.min(offset + chunk, cutAfter);
      const piece = data.subarray(offset, end);
      offset = end;
      if (offset >= cutAfter && cutAfter < data.length) {
        // Cut only once the bytes before the cut have left, so the client has exactly those.
        response.write(piece, () => setTimeout(() => response.socket?.destroy(), 20));
        return;
      }
      response.write(piece);
      if (faults.bytesPerSecond) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          step();
        }, 50);
        timers.add(timer);
      } else {
        setImmediate(step);
      }
    };
    step();
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const range = request.headers.range;
    requests.push({ method: request.method ?? 'GET', path: url.pathname, ...(range ? { range } : {}) });
    const document = json.get(url.pathname);
    if (document !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(document);
      return;
    }
    const repoFile = repoFileOf(url.pathname);
    if (repoFile) {
      const file = files.get(repoFile);
      if (!file) return void response.writeHead(404).end('Entry not found');
      const headers: Record<string, string> = {
        location: `/cdn${repoFile}`,
        'x-linked-size': String(file.bytes.length),
      };
      if (!file.noHash) headers['x-linked-etag'] = `"${sha256Of(file.bytes)}"`;
      response.writeHead(302, headers).end();
      return;
    }
    const path = url.pathname.startsWith('/cdn/') ? url.pathname.slice(4) : url.pathname;
    const file = files.get(path);
    if (!file) return void response.writeHead(404).end('Not found');
    if ((faults.fail503Times ?? 0) > 0) {
      faults.fail503Times = (faults.fail503Times ?? 0) - 1;
      return void response.writeHead(503).end('Busy');
    }
    const total = file.bytes.length;
    const etag = file.noHash ? `"w-${total}"` : `"${sha256Of(file.bytes)}"`;
    const match = range && !faults.ignoreRange ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (match) {
      const start = Number(match[1]);
      const end = match[2] ? Math.min(Number(match[2]), total - 1) : total - 1;
      if (start >= total) {
        return void response.writeHead(416, { 'content-range': `bytes */${total}` }).end();
      }
      response.writeHead(206, {
        'content-length': String(end - start + 1),
        'content-range': `bytes ${start}-${end}/${total}`,
        'accept-ranges': 'bytes',
        etag,
      });
      if (request.method === 'HEAD') return void response.end();
      sendBody(response, file.bytes.subarray(start, end + 1), total, start);
      return;
    }
    response.writeHead(200, { 'content-length': String(total), 'accept-ranges': 'bytes', etag });
    if (request.method === 'HEAD') return void response.end();
    sendBody(response, file.bytes, total, 0);
  }

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    faults,
    requests,
    serve: (path, file) => void files.set(key(path), file),
    serveJson: (path, value) => void json.set(key(path), JSON.stringify(value)),
    sha256(path) {
      const file = files.get(key(path));
      if (!file) throw new Error(`Not served: ${path}`);
      return sha256Of(file.bytes);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
