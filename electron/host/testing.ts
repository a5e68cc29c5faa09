/**
 * Test helpers for the host: a small renderer folder with a secret beside it, raw HTTP requests
 * (so tests choose the Host header and un-normalized paths) and a real WebSocket client.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../common/api/wire.js';

export const SECRET_TEXT = 'this file lies outside the renderer folder';

/** The fixture page's script: asks for models.status over the socket and shows the reply. */
const FIXTURE_APP_SCRIPT = `const socket = new WebSocket('ws://' + location.host + '/api');
socket.onopen = () => socket.send(JSON.stringify({ type: 'call', id: '1', method: 'models.status', params: {} }));
socket.onmessage = (event) => { document.body.dataset.reply = event.data; };
socket.onclose = () => { document.body.dataset.closed = 'yes'; };
`;

export interface RendererFixture {
  /** The folder served as the renderer. */
  rendererDir: string;
  /** Its parent, which also holds secret.txt. */
  root: string;
}

export async function makeRendererFixture(): Promise<RendererFixture> {
  const root = await mkdtemp(join(tmpdir(), 'hearth-host-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body>Hearth</body></html>',
  );
  await writeFile(join(rendererDir, 'assets', 'app.js'), FIXTURE_APP_SCRIPT);
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body { margin: 0 }\n');
  await writeFile(join(rendererDir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(root, 'secret.txt'), SECRET_TEXT);
  await symlink(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  return { rendererDir, root };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request exactly as written: the path is not normalized and Host is what you say. */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export type SocketAttempt = { ok: true; client: TestClient } | { ok: false; status: number };

/** Opens a socket to the host; resolves with the HTTP status when the upgrade is refused. */
export function openSocket(
  port: number,
  options: { path?: string; headers?: Record<string, string>; origin?: string } = {},
): Promise<SocketAttempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, {
      headers: options.headers,
      ...(options.origin ? { origin: options.origin } : {}),
    });
    const client = new TestClient(socket);
    socket.once('open', () => resolve({ ok: true, client }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ ok: false, status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

/** Opens a socket that must be accepted. */
export async function connect(port: number, token: string): Promise<TestClient> {
  const attempt = await openSocket(port, {
    path: `/api?token=${token}`,
    origin: `http://127.0.0.1:${port}`,
  });
  if (!attempt.ok) throw new Error(`The socket was refused with ${attempt.status}.`);
  return attempt.client;
}

/** A real WebSocket client that records every message and waits for the ones a test needs. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  private nextId = 0;
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code) => {
        this.closeCode = code;
        for (const wake of this.waiters) wake();
        resolve(code);
      });
    });
    socket.on('error', () => {});
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  send(message: unknown): void {
    this.sendRaw(JSON.stringify(message));
  }

  /** Waits for the first recorded message (old or new) that matches. */
  waitFor(match: (message: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.messages.find(match);
        if (found) {
          finish();
          resolve(found);
          return true;
        }
        if (this.closeCode !== undefined) {
          finish();
          reject(new Error(`The socket closed (${this.closeCode}) before the awaited message.`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error('Timed out waiting for a message.'));
      }, timeoutMs);
      const wake = () => void check();
      const finish = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
      };
      if (!check()) this.waiters.push(wake);
    });
  }

  /** Sends a call and waits for its result or error. */
  async call(method: string, params?: unknown, id = `r${++this.nextId}`): Promise<ServerMessage> {
    this.send({ type: 'call', id, method, params });
    return this.waitFor((m) => (m.type === 'result' || m.type === 'error') && m.id === id);
  }

  close(): void {
    this.socket.close();
  }
}
