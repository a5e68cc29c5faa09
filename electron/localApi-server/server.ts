/**
 * The local API's HTTP transport: a thin node:http server in front of LocalApiService. It checks
 * Host, Origin and key, reads a bounded JSON body, and writes JSON or server-sent events in
 * OpenAI's exact wire format. It touches no files: no route takes a path.
 *
 * It lives apart from electron/host (the app's own UI server) because both fronts start it: the
 * Electron main process and the headless host; and it speaks OpenAI's protocol, not the contract.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HearthError } from '../common/api/errors.js';
import type { LocalApiService } from '../core/localApi/LocalApiService.js';
import { keysMatch } from '../core/localApi/keys.js';
import { allowedOrigin, bearerKey, isAllowedHost } from './guards.js';
import { openAiError, toOpenAiError, type OpenAiError } from './httpErrors.js';

/** The largest request body accepted (a long conversation fits; more is refused with 413). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type LocalApi = Pick<
  LocalApiService,
  'key' | 'effectiveSettings' | 'listModels' | 'chatCompletions' | 'completions' | 'embeddings' | 'record'
>;

export interface LocalApiServerOptions {
  api: LocalApi;
  /** 127.0.0.1 unless the user chose another address. */
  host: string;
  /** 0: a free port chosen by the system. */
  port: number;
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface RunningLocalApiServer {
  /** `http://HOST:PORT/v1` */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Drained, not read, so the client can finish sending and read the 413.
      request.resume();
      return reject(new BodyTooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function urlHost(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

type Route = 'models' | 'model' | 'chat' | 'completions' | 'embeddings';

function routeOf(path: string): { route: Route; method: 'GET' | 'POST'; param?: string } | null {
  if (path === '/v1/models') return { route: 'models', method: 'GET' };
  if (path.startsWith('/v1/models/')) {
    return { route: 'model', method: 'GET', param: decodeURIComponent(path.slice('/v1/models/'.length)) };
  }
  if (path === '/v1/chat/completions') return { route: 'chat', method: 'POST' };
  if (path === '/v1/completions') return { route: 'completions', method: 'POST' };
  if (path === '/v1/embeddings') return { route: 'embeddings', method: 'POST' };
  return null;
}

export async function startLocalApiServer(options: LocalApiServerOptions): Promise<RunningLocalApiServer> {
  const { api, log } = options;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log?.(`local API: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendError(response, toOpenAiError(error));
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  function sendJson(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
  }

  function sendError(response: ServerResponse, error: OpenAiError): void {
    if (error.status === 499) {
      // The client is gone: nobody reads an answer.
      response.destroy();
      return;
    }
    sendJson(response, error.status, error.body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');

    if (!isAllowedHost(request.headers.host, port)) {
      sendError(response, openAiError(403, 'Invalid Host header.', 'invalid_request_error', 'invalid_host'));
      return;
    }
    const settings = api.effectiveSettings();
    const originHeader = request.headers.origin;
    if (originHeader !== undefined) {
      const origin = allowedOrigin(originHeader, settings.allowedOrigins);
      if (!origin) {
        sendError(
          response,
          openAiError(
            403,
            `The origin ${originHeader} is not allowed.`,
            'invalid_request_error',
            'origin_not_allowed',
          ),
        );
        return;
      }
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      if (request.method === 'OPTIONS') {
        response.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers':
            request.headers['access-control-request-headers'] ?? 'authorization, content-type',
          'Access-Control-Max-Age': '600',
        });
        response.end();
        return;
      }
    }

    let model: string | undefined;
    let status = 200;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    const record = () =>
      api.record({
        at: new Date(Date.now() - (performance.now() - started)).toISOString(),
        method: request.method ?? '?',
        path,
        ...(model ? { model } : {}),
        status,
        ...(usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } : {}),
        durationMs: Math.round(performance.now() - started),
      });
    const fail = (error: OpenAiError) => {
      status = error.status;
      sendError(response, error);
    };

    try {
      if (!keysMatch(bearerKey(request.headers.authorization), api.key)) {
        // The body is not read: nothing from an unauthenticated client is processed.
        response.setHeader('Connection', 'close');
        fail(
          openAiError(
            401,
            'Missing or incorrect API key. Send it as "Authorization: Bearer KEY" (Settings > Local API).',
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
        return;
      }
      const found = routeOf(path);
      if (!found) {
        fail(
          openAiError(
            404,
            `Unknown request URL: ${request.method} ${path}.`,
            'invalid_request_error',
            'unknown_url',
          ),
        );
        return;
      }
      if (request.method !== found.method) {
        response.setHeader('Allow', found.method);
        fail(
          openAiError(405, `${path} takes ${found.method}.`, 'invalid_request_error', 'method_not_allowed'),
        );
        return;
      }
      if (found.route === 'models' || found.route === 'model') {
        const list = await api.listModels();
        if (found.route === 'models') return sendJson(response, 200, list);
        const entry = list.data.find((candidate) => candidate.id === found.param);
        if (!entry) {
          fail(
            openAiError(
              404,
              `The model '${found.param}' does not exist.`,
              'invalid_request_error',
              'model_not_found',
              'model',
            ),
          );
          return;
        }
        return sendJson(response, 200, entry);
      }

      let body: unknown;
      try {
        body = JSON.parse((await readBody(request, maxBody)).toString('utf8'));
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          response.setHeader('Connection', 'close');
          fail(
            openAiError(
              413,
              `The request body is larger than ${maxBody} bytes.`,
              'invalid_request_error',
              'request_too_large',
            ),
          );
        } else {
          fail(
            openAiError(400, 'The request body is not valid JSON.', 'invalid_request_error', 'invalid_json'),
          );
        }
        return;
      }
      model =
        typeof (body as { model?: unknown })?.model === 'string'
          ? (body as { model: string }).model
          : undefined;

      // The client closing its connection cancels the work (the queue slot or the generation).
      const controller = new AbortController();
      response.on('close', () => {
        if (!response.writableFinished) controller.abort();
      });

      if (found.route === 'embeddings') {
        const result = await api.embeddings(body, controller.signal);
        usage = { prompt_tokens: result.usage.prompt_tokens, completion_tokens: 0 };
        return sendJson(response, 200, result.list);
      }
      const streaming = (body as { stream?: unknown }).stream === true;
      const sse = streaming ? new SseWriter(response) : undefined;
      try {
        const result =
          found.route === 'chat'
            ? await api.chatCompletions(body, sse?.send, controller.signal)
            : await api.completions(body, sse?.send, controller.signal);
        usage = result.usage;
        if (sse) sse.done();
        else sendJson(response, 200, result.completion);
      } catch (error) {
        if (!sse?.started) throw error;
        // Headers are out: the error goes as an event, as OpenAI sends one mid-stream.
        const failure = toOpenAiError(error);
        status = failure.status;
        sse.fail(failure);
      }
    } catch (error) {
      if (!(error instanceof HearthError))
        log?.(`local API: ${error instanceof Error ? error.stack : String(error)}`);
      if (response.headersSent) response.destroy();
      else fail(toOpenAiError(error));
    } finally {
      record();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${urlHost(options.host, port)}/v1`;

  return {
    baseUrl,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Server-sent events as OpenAI writes them: `data: JSON\n\n` per chunk, then `data: [DONE]\n\n`. */
class SseWriter {
  started = false;

  constructor(private readonly response: ServerResponse) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    this.response.flushHeaders();
  }

  readonly send = (chunk: unknown): void => {
    this.start();
    if (!this.response.writableEnded) this.response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };

  done(): void {
    this.start();
    if (!this.response.writableEnded) this.response.end('data: [DONE]\n\n');
  }

  fail(error: OpenAiError): void {
    if (error.status === 499 || this.response.writableEnded) {
      this.response.destroy();
      return;
    }
    this.response.end(`data: ${JSON.stringify(error.body)}\n\n`);
  }
}
