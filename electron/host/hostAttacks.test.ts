// Attacks on the headless host that take volume rather than cleverness: 1,000 connections at once
// (authenticated sockets, refused upgrades, idle and half-sent requests), an oversized HTTP header, a
// message flood. After each the host is up and serves a legitimate client. The single-shot attacks
// (no token, wrong token, foreign Origin, a rebinding Host header) are host.test.ts; an oversized
// WebSocket frame is contract.test.ts.
import { rm } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from './index.js';
import { connect, makeRendererFixture, openSocket, rawRequest, type RendererFixture } from './testing.js';
import { createTestEngine, type TestEngine } from './testEngine.js';

let fixture: RendererFixture;
let engine: TestEngine;
let host: RunningHost;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  engine = await createTestEngine();
  host = await startHost({ engine, rendererDir: fixture.rendererDir });
});

afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  if (fixture) await rm(fixture.root, { recursive: true, force: true });
});

/** A legitimate client: a fresh socket with the token, one call, a result. */
async function expectServesLegitimateClient(): Promise<void> {
  const client = await connect(host.port, host.token);
  try {
    const reply = await client.call('app.info', {});
    expect(reply).toMatchObject({ type: 'result', result: { version: '0.0.0-test' } });
  } finally {
    client.close();
  }
  const page = await rawRequest(host.port, '/', { headers: { authorization: `Bearer ${host.token}` } });
  expect(page.status).toBe(200);
}

/** Opens a raw TCP connection to the host, optionally writing something, and keeps it open. */
function rawSocket(data?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(host.port, '127.0.0.1', () => {
      if (data) socket.write(data);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

describe('1,000 connections at once', () => {
  it('takes them all without falling over, then serves a legitimate client', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    const attempts = Array.from({ length: 1000 }, (_, i) => {
      switch (i % 4) {
        case 0: // authenticated sockets that each make a call
          return connect(host.port, host.token).then(async (client) => {
            const reply = await client.call('models.status', {});
            return { kind: 'socket', ok: reply.type === 'result', close: () => client.close() };
          });
        case 1: // upgrades without the token
          return openSocket(host.port, { origin }).then((attempt) => ({
            kind: 'refused',
            ok: !attempt.ok && attempt.status === 401,
            close: () => {},
          }));
        case 2: // connections that never send a byte
          return rawSocket().then((socket) => ({ kind: 'idle', ok: true, close: () => socket.destroy() }));
        default: // requests that stop half-way through their headers (slowloris)
          return rawSocket(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Slow: `).then((socket) => ({
            kind: 'half-sent',
            ok: true,
            close: () => socket.destroy(),
          }));
      }
    });
    const outcomes = await Promise.all(attempts);
    try {
      const byKind = new Map<string, number>();
      for (const outcome of outcomes) {
        if (outcome.ok) byKind.set(outcome.kind, (byKind.get(outcome.kind) ?? 0) + 1);
      }
      expect(Object.fromEntries(byKind)).toEqual({ socket: 250, refused: 250, idle: 250, 'half-sent': 250 });
      // While all of that is open, a legitimate client is still served.
      await expectServesLegitimateClient();
    } finally {
      for (const outcome of outcomes) outcome.close();
    }
    await expectServesLegitimateClient();
  }, 120_000);
});

describe('oversized and flooding input', () => {
  it('refuses a 100 KB request header (431) and stays up', async () => {
    const response = await rawRequest(host.port, '/', {
      headers: { authorization: `Bearer ${host.token}`, 'x-padding': 'a'.repeat(100_000) },
    }).catch((error: unknown) => ({ status: 0, error }));
    expect([0, 431]).toContain(response.status);
    await expectServesLegitimateClient();
  });

  it('answers a flood of 5,000 messages on one socket, and another client meanwhile', async () => {
    const flooder = await connect(host.port, host.token);
    const bystander = await connect(host.port, host.token);
    try {
      const answered = new Promise<number>((resolve) => {
        let count = 0;
        flooder.socket.on('message', () => {
          if (++count === 5000) resolve(count);
        });
      });
      for (let i = 0; i < 5000; i++) {
        flooder.sendRaw(
          i % 2
            ? JSON.stringify({ type: 'call', id: `f${i}`, method: 'models.status', params: {} })
            : '{not json',
        );
      }
      expect(await bystander.call('app.info', {})).toMatchObject({ type: 'result' });
      expect(await answered).toBe(5000);
      expect(flooder.socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      flooder.close();
      bystander.close();
    }
    await expectServesLegitimateClient();
  }, 60_000);
});
