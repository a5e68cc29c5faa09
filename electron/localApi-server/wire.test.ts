/**
 * The local API on the wire, byte by byte: the SSE format OpenAI clients parse, and the guards
 * every request passes (Host against DNS rebinding, CORS only for allow-listed origins, the key).
 * Then the controller that starts, moves and stops the server as its settings change.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApiState } from '../common/api/contract.js';
import { LocalApiSettingsStore } from '../core/localApi/LocalApiSettingsStore.js';
import { controlLocalApi } from './controller.js';
import { startLocalApiServer, type RunningLocalApiServer } from './server.js';
import { createApiTestEngine, rawHttp, TEST_MODEL_ID, type ApiTestEngine } from './testing.js';

/** A parsed chunk, read loosely: the test checks the bytes, the parse only finds values in them. */
interface Chunk {
  id: string;
  created: number;
  object: string;
  choices: { delta: { content?: string }; [key: string]: unknown }[];
  usage?: { prompt_tokens: number } | null;
}

let t: ApiTestEngine;
let server: RunningLocalApiServer;
let key: string;

beforeAll(async () => {
  t = await createApiTestEngine();
  server = await startLocalApiServer({ api: t.engine.localApi, host: '127.0.0.1', port: 0 });
  key = t.engine.localApi.key;
});

afterAll(async () => {
  await server?.close();
  await t?.dispose();
});

const auth = () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

describe('server-sent events, byte by byte', () => {
  it('streams chat chunks as `data: JSON\\n\\n`, the usage chunk, then `data: [DONE]\\n\\n`', async () => {
    const reply = await rawHttp(server.port, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: auth(),
      body: JSON.stringify({
        model: TEST_MODEL_ID,
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 3,
        seed: 1,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-cache');
    // Nothing but data events, each ended by a blank line, and [DONE] last.
    expect(reply.body).toMatch(/^(data: \{[^\n]*\}\n\n)+data: \[DONE\]\n\n$/);
    const events = reply.body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)) as Chunk);
    const { id, created } = chunks[0]!;
    expect(id).toMatch(/^chatcmpl-[0-9a-f-]{36}$/);
    expect(Number.isInteger(created)).toBe(true);
    const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":"${TEST_MODEL_ID}","choices":[`;
    // The exact bytes of the first chunk (role), a content chunk, the finish chunk and the usage chunk.
    expect(events[0]).toBe(
      `data: ${head}{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}`,
    );
    const contents = events.slice(1, -3);
    expect(contents.length).toBeGreaterThan(0);
    for (const [index, event] of contents.entries()) {
      const text = chunks[index + 1]!.choices[0]!.delta.content ?? '';
      expect(event).toBe(
        `data: ${head}{"index":0,"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}],"usage":null}`,
      );
    }
    expect(events.at(-3)).toBe(
      `data: ${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}`,
    );
    const usage = chunks.at(-1)!.usage!;
    expect(events.at(-2)).toBe(
      `data: ${head}],"usage":{"prompt_tokens":${usage.prompt_tokens},"completion_tokens":3,"total_tokens":${usage.prompt_tokens + 3}}}`,
    );
  });

  it('leaves usage out of the chunks unless asked, and streams text completions the same way', async () => {
    const reply = await rawHttp(server.port, {
      method: 'POST',
      path: '/v1/completions',
      headers: auth(),
      body: JSON.stringify({ model: TEST_MODEL_ID, prompt: 'Once', max_tokens: 2, stream: true }),
    });
    expect(reply.body).toMatch(/^(data: \{[^\n]*\}\n\n)+data: \[DONE\]\n\n$/);
    expect(reply.body).not.toContain('"usage"');
    const events = reply.body.split('\n\n').filter(Boolean).slice(0, -1);
    const chunks = events.map((event) => JSON.parse(event.slice(6)) as Chunk);
    for (const chunk of chunks) {
      expect(Object.keys(chunk)).toEqual(['id', 'object', 'created', 'model', 'choices']);
      expect(chunk.object).toBe('text_completion');
    }
    expect(chunks.at(-1)!.choices[0]).toEqual({
      text: '',
      index: 0,
      logprobs: null,
      finish_reason: 'length',
    });
  });
});

describe('guards', () => {
  it.each([
    ['a DNS name (rebinding)', 'evil.example'],
    ['a DNS name with the port', 'evil.example:PORT'],
    ['another port', '127.0.0.1:1'],
    ['a name that starts like localhost', 'localhost.evil.example:PORT'],
  ])('refuses %s in the Host header with 403, key or not', async (_name, host) => {
    const reply = await rawHttp(server.port, {
      headers: { authorization: `Bearer ${key}`, host: host.replace('PORT', String(server.port)) },
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'invalid_host' } });
  });

  it.each(['localhost:PORT', '127.0.0.1:PORT', '[::1]:PORT', '127.0.0.1'])(
    'accepts Host %s',
    async (host) => {
      const reply = await rawHttp(server.port, {
        headers: { authorization: `Bearer ${key}`, host: host.replace('PORT', String(server.port)) },
      });
      expect(reply.status).toBe(200);
    },
  );

  it('needs the exact key, as a Bearer token', async () => {
    const status = async (authorization?: string) =>
      (await rawHttp(server.port, { headers: authorization ? { authorization } : {} })).status;
    expect(await status(`Bearer ${key}`)).toBe(200);
    expect(await status(`bearer ${key}`)).toBe(200);
    expect(await status(`Bearer ${key}x`)).toBe(401);
    expect(await status(`Bearer ${key.slice(0, -1)}`)).toBe(401);
    expect(await status(key)).toBe(401);
    expect(await status()).toBe(401);
  });

  it('has CORS off: no CORS headers, and a cross-origin request is refused', async () => {
    const plain = await rawHttp(server.port, { headers: { authorization: `Bearer ${key}` } });
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    const cross = await rawHttp(server.port, {
      headers: { authorization: `Bearer ${key}`, origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    expect(cross.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await rawHttp(server.port, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
  });

  it('answers CORS for an allow-listed origin only', async () => {
    await t.client.call('localApi.set', { allowedOrigins: ['http://localhost:5173'] });
    try {
      const preflight = await rawHttp(server.port, {
        method: 'OPTIONS',
        path: '/v1/chat/completions',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(preflight.headers['access-control-allow-headers']).toBe('authorization, content-type');
      const request = await rawHttp(server.port, {
        headers: { authorization: `Bearer ${key}`, origin: 'http://localhost:5173' },
      });
      expect(request.status).toBe(200);
      expect(request.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      const other = await rawHttp(server.port, {
        headers: { authorization: `Bearer ${key}`, origin: 'http://localhost:5174' },
      });
      expect(other.status).toBe(403);
    } finally {
      await t.client.call('localApi.set', { allowedOrigins: [] });
    }
  });

  it('takes no path from a request: only the five routes exist', async () => {
    for (const path of ['/v1/files', '/v1/../../etc/passwd', '/etc/passwd', '/v1/models/../../x']) {
      const reply = await rawHttp(server.port, { path, headers: { authorization: `Bearer ${key}` } });
      expect(reply.status).toBe(404);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('settings and the controller', () => {
  it('is off by default, on 127.0.0.1, with a key ready, and warns for another address', async () => {
    const state = await t.client.call('localApi.get', {});
    expect(state.settings).toMatchObject({ enabled: false, bindAddress: '127.0.0.1', allowedOrigins: [] });
    expect(state.key).toMatch(/^hearth-[A-Za-z0-9_-]{32}$/);
    expect(state.warning).toBeUndefined();
    const open = await t.client.call('localApi.set', { bindAddress: '0.0.0.0' });
    expect(open.warning).toMatch(/other machines/);
    await t.client.call('localApi.set', { bindAddress: '127.0.0.1' });
    await expect(t.client.call('localApi.set', { port: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('starts, moves and stops the server as the settings change; the key is checked live', async () => {
    const states: LocalApiState[] = [];
    const off = t.engine.onEvent((event, payload) => {
      if (event === 'localApi.changed') states.push(payload);
    });
    const controller = controlLocalApi({ api: t.engine.localApi, onEvent: t.engine.onEvent });
    try {
      const port = await freePort();
      await t.client.call('localApi.set', { enabled: true, port });
      await controller.settled();
      expect(t.engine.localApi.state().server).toEqual({
        state: 'running',
        baseUrl: `http://127.0.0.1:${port}/v1`,
      });
      const oldKey = t.engine.localApi.key;
      expect((await rawHttp(port, { headers: { authorization: `Bearer ${oldKey}` } })).status).toBe(200);

      const { key: newKey } = await t.client.call('localApi.regenerateKey', {});
      expect(newKey).not.toBe(oldKey);
      expect((await rawHttp(port, { headers: { authorization: `Bearer ${oldKey}` } })).status).toBe(401);
      expect((await rawHttp(port, { headers: { authorization: `Bearer ${newKey}` } })).status).toBe(200);

      const moved = await freePort();
      await t.client.call('localApi.set', { port: moved });
      await controller.settled();
      await expect(rawHttp(port, {})).rejects.toThrow();
      expect((await rawHttp(moved, { headers: { authorization: `Bearer ${newKey}` } })).status).toBe(200);

      // A port in use: the state says so, once (no retry loop), until the settings change.
      const blocker = createServer();
      const busy = await freePort();
      await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
      try {
        await t.client.call('localApi.set', { port: busy });
        await controller.settled();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await controller.settled();
        const server = t.engine.localApi.state().server;
        expect(server.state).toBe('failed');
        expect(server.error).toMatch(/already in use/);
        expect(states.filter((state) => state.server.state === 'failed')).toHaveLength(1);
      } finally {
        blocker.close();
      }

      await t.client.call('localApi.set', { enabled: false });
      await controller.settled();
      expect(t.engine.localApi.state().server.state).toBe('off');

      // Persisted in the data folder, key included.
      const reopened = await LocalApiSettingsStore.open(t.home.home);
      expect(reopened.settings).toMatchObject({ enabled: false, port: busy });
      expect(reopened.key).toBe(newKey);
    } finally {
      await controller.stop();
      off();
    }
  });
});
