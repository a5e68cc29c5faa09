// The network gate against a real HTTP server on 127.0.0.1: every hop is checked and written to the
// ledger before it is made, a refused request never reaches the server, and the ledger survives a
// restart, a torn line and its own rotation.
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/api/errors.js';
import { startDownloadServer, type DownloadServer } from '../../../test/support/index.js';
import { createNetwork, readText } from '../net/network.js';
import { LEDGER_FILE, NetworkLedger } from './NetworkLedger.js';
import { createNetworkPolicy, DEFAULT_ALLOWED_HOSTS, hostMatches, withExtraHosts } from './networkPolicy.js';

let dir: string;
let server: DownloadServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-gate-'));
  server = await startDownloadServer();
  server.serve('hearth/tiny-GGUF/tiny.gguf', { bytes: Buffer.alloc(10_000, 7) });
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function gate(options: { offline?: boolean; hosts?: string[] } = {}) {
  const ledger = await NetworkLedger.open(join(dir, 'privacy'));
  let offline = options.offline ?? false;
  const network = createNetwork({
    ledger,
    policy: createNetworkPolicy({
      isOffline: () => offline,
      allowedHosts: withExtraHosts(DEFAULT_ALLOWED_HOSTS, {
        'model-download': options.hosts ?? ['127.0.0.1'],
      }),
    }),
  });
  return { ledger, network, setOffline: (value: boolean) => void (offline = value) };
}

describe('the network gate', () => {
  it('records each hop of an allowed download with its purpose, description, status and bytes', async () => {
    const { ledger, network } = await gate();
    const response = await network.request({
      url: `${server.url}/hearth/tiny-GGUF/resolve/main/tiny.gguf`,
      purpose: 'model-download',
      description: 'model download: Tiny Q8_0',
    });
    expect((await readText(response)).length).toBe(10_000);
    await ledger.flush();
    const entries = await ledger.list();
    // Newest first: the CDN hop that sent the bytes, then the redirect.
    expect(entries.map((e) => [e.host, e.allowed, e.status, e.bytes, e.finished])).toEqual([
      ['127.0.0.1', true, 200, 10_000, true],
      ['127.0.0.1', true, 302, 0, true],
    ]);
    expect(entries[0]).toMatchObject({ purpose: 'model-download', description: 'model download: Tiny Q8_0' });
    expect(ledger.counts()).toEqual({ allowed: 2, blocked: 0 });
  });

  it('blocks a host that is not allowed for the purpose before any byte leaves, with a typed error', async () => {
    const { ledger, network } = await gate({ hosts: [] });
    const error = await network
      .request({
        url: `${server.url}/catalog.json`,
        purpose: 'model-download',
        description: 'model download: X',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.NetworkBlocked });
    expect((error as Error).message).toMatch(
      /did not connect to 127\.0\.0\.1 \(model download: X\): 127\.0\.0\.1 is not an allowed host for model downloads\./,
    );
    expect(server.requests).toEqual([]);
    const [entry] = await ledger.list();
    expect(entry).toMatchObject({ host: '127.0.0.1', allowed: false, finished: true, bytes: 0 });
    expect(entry?.reason).toMatch(/not an allowed host/);
    // Update checks have no allowed host at all: Hearth makes none.
    await expect(
      network.request({
        url: 'https://huggingface.co/',
        purpose: 'update-check',
        description: 'update check',
      }),
    ).rejects.toMatchObject({ code: ErrorCode.NetworkBlocked, message: /update checks are off/ });
  });

  it('lets a host the user named through, but not a redirect from it to elsewhere', async () => {
    const { network } = await gate({ hosts: [] });
    const response = await network.request({
      url: `${server.url}/hearth/tiny-GGUF/tiny.gguf`,
      purpose: 'model-download',
      description: 'model download: pasted URL',
      userNamedHosts: ['127.0.0.1'],
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(hostMatches('cdn-lfs.huggingface.co', '*.huggingface.co')).toBe(true);
    expect(hostMatches('huggingface.co.evil.com', '*.huggingface.co')).toBe(false);
    expect(hostMatches('evilhuggingface.co', '*.huggingface.co')).toBe(false);
  });

  it('refuses everything in offline mode, loopback included, and allows again when it is off', async () => {
    const { ledger, network, setOffline } = await gate();
    setOffline(true);
    await expect(
      network.request({
        url: `${server.url}/x`,
        purpose: 'model-download',
        description: 'model download: Y',
      }),
    ).rejects.toMatchObject({ code: ErrorCode.NetworkBlocked, message: /offline mode is on/ });
    expect(server.requests).toEqual([]);
    setOffline(false);
    const response = await network.request({
      url: `${server.url}/hearth/tiny-GGUF/tiny.gguf`,
      purpose: 'model-download',
      description: 'model download: Y',
    });
    await response.body?.cancel();
    expect(ledger.counts()).toEqual({ allowed: 1, blocked: 1 });
  });

  it('records a connection that fails (nothing listening) with its error', async () => {
    const { ledger, network } = await gate();
    const closed = await startDownloadServer();
    const url = `${closed.url}/gone`;
    await closed.close();
    await expect(
      network.request({ url, purpose: 'model-download', description: 'model download: Z' }),
    ).rejects.toMatchObject({ code: ErrorCode.NetworkFailed });
    const [entry] = await ledger.list();
    expect(entry).toMatchObject({ allowed: true, finished: true, bytes: 0 });
    expect(entry?.error).toBeTruthy();
  });
});

describe('the ledger', () => {
  it('keeps its counts across a restart, skips a line torn by a crash, and writes a user-only file', async () => {
    const path = join(dir, 'privacy');
    const first = await NetworkLedger.open(path);
    await first.record({
      host: 'a.example',
      method: 'GET',
      purpose: 'catalog',
      description: 'model catalog',
      allowed: true,
    });
    await first.record({
      host: 'b.example',
      method: 'GET',
      purpose: 'catalog',
      description: 'model catalog',
      allowed: false,
      reason: 'offline mode is on',
    });
    await appendFile(join(path, LEDGER_FILE), '{"seq":3,"at":"2026-'); // killed mid-write
    const second = await NetworkLedger.open(path);
    expect(second.counts()).toEqual({ allowed: 1, blocked: 1 });
    const seq = await second.record({
      host: 'c.example',
      method: 'HEAD',
      purpose: 'catalog',
      description: 'model catalog',
      allowed: true,
    });
    expect(seq).toBe(3);
    await second.complete(seq, { bytes: 12, status: 200 });
    const entries = await second.list();
    expect(entries.map((e) => [e.seq, e.host, e.bytes])).toEqual([
      [3, 'c.example', 12],
      [2, 'b.example', 0],
      [1, 'a.example', 0],
    ]);
    expect((await readFile(join(path, LEDGER_FILE), 'utf8')).split('\n').filter(Boolean)).toHaveLength(5);
    if (process.platform !== 'win32') {
      expect((await stat(join(path, LEDGER_FILE))).mode & 0o777).toBe(0o600);
    }
  });

  it('rotates past its size bound and keeps counting from where it was', async () => {
    const path = join(dir, 'privacy');
    const ledger = await NetworkLedger.open(path, { maxBytes: 2_000 });
    for (let i = 0; i < 60; i++) {
      await ledger.record({
        host: `h${i}.example`,
        method: 'GET',
        purpose: 'catalog',
        description: 'model catalog',
        allowed: i % 2 === 0,
      });
    }
    const current = (await stat(join(path, LEDGER_FILE))).size;
    const rotated = (await stat(join(path, `${LEDGER_FILE}.1`))).size;
    expect(current).toBeLessThanOrEqual(2_000);
    expect(rotated).toBeLessThanOrEqual(2_000);
    const reopened = await NetworkLedger.open(path, { maxBytes: 2_000 });
    expect(reopened.counts()).toEqual({ allowed: 30, blocked: 30 });
    const entries = await reopened.list();
    expect(entries[0]?.seq).toBe(60);
    expect(entries.length).toBeLessThan(60); // the oldest were rotated away; the counts were not
  });
});
