/**
 * The headless host: the built renderer and the contract over a WebSocket, on 127.0.0.1 only,
 * behind a random token (the scheme is described in auth.ts). The caller owns the engine:
 * `close()` stops serving but does not dispose it.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_CHARS } from '../common/api/contract.js';
import type { Engine } from '../core/Engine.js';
import {
  createToken,
  isAllowedHost,
  isAllowedOrigin,
  isAuthorized,
  presentedTokens,
  sessionCookie,
} from './auth.js';
import { attachConnection, type Connection } from './connection.js';
import { appContentSecurityPolicy, setCommonHeaders } from './headers.js';
import { refusals, sendRefusal } from './pages.js';
import { lookupStatic } from './static.js';
import { handleLibraryUpload, LIBRARY_UPLOAD_PATH } from './libraryUpload.js';
import { defaultUploadDir, handleModelUpload, MODEL_UPLOAD_PATH } from './modelUpload.js';

/** What the host needs of the engine: the contract handlers and its broadcast events. */
export type HostEngine = Pick<Engine, 'handlers' | 'onEvent' | 'libraryUploadsDir'>;

export interface HostOptions {
  engine: HostEngine;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** The host listens on the loopback address only. */
  host?: '127.0.0.1';
  /** Normally random; fixed only by tests that need to know it in advance. */
  token?: string;
  log?: (line: string) => void;
  /** The largest library upload accepted (`POST /api/library/upload`); defaults to MAX_UPLOAD_BYTES. */
  maxUploadBytes?: number;
  /**
   * Where a browser's model uploads (`POST /upload/model`) are written before they are imported;
   * by default `tmp/uploads` in the engine's data folder.
   */
  uploadDir?: string;
}

export interface RunningHost {
  /** The address to open: `http://127.0.0.1:PORT/#token=T`. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const SOCKET_PATH = '/api';

/**
 * The largest WebSocket frame accepted. A legal chat message (MAX_MESSAGE_CHARS characters) may
 * take up to 6 bytes per character once JSON-escaped; anything bigger is refused by `ws`, which
 * closes that socket with 1009 (message too big) before buffering it.
 */
export const MAX_FRAME_BYTES = 6 * MAX_MESSAGE_CHARS + 64 * 1024;

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { engine, rendererDir, log } = options;
  const token = options.token ?? createToken();
  const listenHost = options.host ?? '127.0.0.1';
  if (listenHost !== '127.0.0.1') throw new Error('The headless host listens on 127.0.0.1 only.');

  let port = 0;
  const connections = new Set<Connection>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log?.(`hearth host: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendRefusal(response, refusals.internal);
      else response.destroy();
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headOnly = request.method === 'HEAD';
    if (!isAllowedHost(request.headers.host, port)) {
      log?.(`hearth host: refused a request for host ${String(request.headers.host).slice(0, 100)} (403)`);
      sendRefusal(response, refusals.forbiddenHost, headOnly);
      return;
    }
    const rawUrl = request.url ?? '';
    if (!rawUrl.startsWith('/')) {
      sendRefusal(response, refusals.badRequest, headOnly);
      return;
    }
    const url = new URL(rawUrl, `http://127.0.0.1:${port}`);
    const presented = presentedTokens(request, url, port);
    if (!isAuthorized(presented, token)) {
      // Opening the printed address always meets one tokenless 401 (the bootstrap): say nothing then.
      if (presented.length > 0) log?.(`hearth host: refused ${url.pathname} (401, wrong token)`);
      const bootstrap = url.pathname === '/' && !url.searchParams.has('token');
      sendRefusal(response, { ...refusals.unauthorized, bootstrap }, headOnly);
      return;
    }
    // Two upload routes: library drops (any file, stored for library.add) and model imports (.gguf,
    // handed to models.import). A page of another origin cannot use the cookie (SameSite=Strict); a
    // POST must still come from this page (CSRF defence).
    if (url.pathname === LIBRARY_UPLOAD_PATH) {
      if (!isAllowedOrigin(request.headers.origin, request.headers.host)) {
        sendRefusal(response, refusals.forbiddenHost);
        return;
      }
      await handleLibraryUpload(request, response, url, engine.libraryUploadsDir, options.maxUploadBytes);
      return;
    }
    if (url.pathname === MODEL_UPLOAD_PATH && request.method === 'POST') {
      if (!isAllowedOrigin(request.headers.origin, request.headers.host)) {
        sendRefusal(response, refusals.forbiddenHost);
        return;
      }
      const uploadDir = options.uploadDir ?? (await defaultUploadDir(engine));
      await handleModelUpload(request, response, url, { engine, uploadDir });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendRefusal(response, refusals.methodNotAllowed);
      return;
    }
    // Swap a token in the address for the cookie, and take it out of the address bar.
    if (presented[0]?.source === 'query' && url.pathname === '/') {
      setCommonHeaders(response);
      response.statusCode = 303;
      response.setHeader('Set-Cookie', sessionCookie(port, token));
      response.setHeader('Location', '/');
      response.setHeader('Cache-Control', 'no-store');
      response.end();
      return;
    }
    if (url.pathname === SOCKET_PATH) {
      sendRefusal(
        response,
        { status: 426, title: 'Upgrade required', message: 'This address takes a WebSocket.' },
        headOnly,
      );
      return;
    }

    const found = await lookupStatic(rendererDir, url.pathname);
    if (found.kind !== 'file') {
      sendRefusal(response, found.kind === 'bad-path' ? refusals.badRequest : refusals.notFound, headOnly);
      return;
    }
    setCommonHeaders(response);
    response.statusCode = 200;
    response.setHeader('Content-Type', found.contentType);
    response.setHeader('Content-Length', found.size);
    response.setHeader('Content-Security-Policy', appContentSecurityPolicy(port));
    // The page is the entry point and changes with every build; hashed assets may be revalidated.
    response.setHeader('Cache-Control', found.contentType.startsWith('text/html') ? 'no-store' : 'no-cache');
    if (headOnly) {
      response.end();
      return;
    }
    const stream = createReadStream(found.path);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  function refuseUpgrade(socket: Duplex, status: number, text: string): void {
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const host = request.headers.host;
    if (!isAllowedHost(host, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    const rawUrl = request.url ?? '';
    if (!rawUrl.startsWith('/')) return refuseUpgrade(socket, 400, 'Bad Request');
    const url = new URL(rawUrl, `http://127.0.0.1:${port}`);
    if (!isAllowedOrigin(request.headers.origin, host)) {
      log?.(`hearth host: refused a socket from origin ${String(request.headers.origin).slice(0, 100)}`);
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (!isAuthorized(presentedTokens(request, url, port), token)) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    if (url.pathname !== SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = attachConnection(ws, engine.handlers, () => connections.delete(connection));
      connections.add(connection);
    });
  });

  const unsubscribe = engine.onEvent((event, payload) => {
    for (const connection of connections) connection.sendEvent(event, payload);
  });

  async function close(): Promise<void> {
    unsubscribe();
    // Say goodbye properly (1001), give clients a moment to answer, then cut whoever did not.
    const closed = [...wss.clients].map(
      (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
    );
    for (const connection of connections) connection.close();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)));
    await Promise.race([Promise.all(closed), grace]);
    clearTimeout(timer);
    for (const client of wss.clients) client.terminate();
    connections.clear();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      unsubscribe();
      wss.close();
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${options.port ?? 0} is already in use; choose another with --port.`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen({ port: options.port ?? 0, host: listenHost }, () => {
      server.off('error', onError);
      server.on('error', (error) => log?.(`hearth host: ${error.message}`));
      port = (server.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}/#token=${token}`, port, token, close });
    });
  });
}
