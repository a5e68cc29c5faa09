/**
 * Update checks against a releases feed on 127.0.0.1: off by default (nothing is asked until the
 * user turns them on), GitHub's release JSON or a plain feed, release notes shown, and only read:
 * the check never downloads the release.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName, Params, Result } from '../../common/api/contract.js';
import { Dispatcher } from '../../common/api/dispatch.js';
import { ErrorCode, type SerializedError } from '../../common/api/errors.js';
import { createTestNetwork } from '../privacy/testing.js';
import { createEngine, type Engine } from '../Engine.js';
import type { Network, NetworkRequest } from '../net/network.js';
import { compareVersions } from './checkForUpdate.js';

let server: Server;
let base: string;
const served = new Map<string, { status: number; body: string }>();
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const answer = served.get(request.url ?? '') ?? { status: 404, body: '{}' };
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  served.set('/repos/hearth/releases/latest', {
    status: 200,
    body: JSON.stringify({
      tag_name: 'v1.3.0',
      name: 'Hearth 1.3',
      body: '## What is new\n- Faster answers\n- Grounded citations',
      html_url: 'https://example.invalid/hearth/releases/v1.3.0',
      assets: [{ name: 'Hearth-1.3.0.AppImage', browser_download_url: `${'http://127.0.0.1:1'}/asset` }],
    }),
  });
  served.set('/plain.json', { status: 200, body: JSON.stringify({ version: '1.2.0', notes: 'Same' }) });
  served.set('/broken.json', { status: 200, body: '{"nothing": true}' });
  served.set('/down.json', { status: 503, body: '' });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let home: string;
let engine: Engine | undefined;
const purposes: Array<string | undefined> = [];
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hearth-updates-'));
  requests.length = 0;
  purposes.length = 0;
});
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  await rm(home, { recursive: true, force: true });
});

/** The real network module, noting each request's purpose on the way (the privacy gate's view). */
function notingPurpose(network: Network): Network {
  return {
    request(request: NetworkRequest) {
      purposes.push(request.purpose);
      return network.request(request);
    },
  };
}

async function open(releasesUrl = `${base}/repos/hearth/releases/latest`) {
  engine = await createEngine({
    home,
    version: '1.2.0',
    threads: 1,
    env: {},
    network: notingPurpose((await createTestNetwork(join(home, 'test-network'))).network),
    setup: { modelFolders: () => [], releasesUrl },
  });
  const dispatcher = new Dispatcher(engine.handlers, () => undefined);
  let count = 0;
  return {
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      const outcome = await dispatcher.call(method, params, `u${++count}`);
      if (!outcome.ok) throw new Error(`${method} failed: ${outcome.error.message}`);
      return outcome.result as Result<M>;
    },
    async fail<M extends MethodName>(method: M, params: Params<M>): Promise<SerializedError> {
      const outcome = await dispatcher.call(method, params, `u${++count}`);
      if (outcome.ok) throw new Error(`${method} succeeded`);
      return outcome.error;
    },
  };
}

describe('update checks', () => {
  it('are off by default and then ask nothing of the network', async () => {
    const api = await open();
    expect(await api.call('updates.settings.get', {})).toMatchObject({ checkForUpdates: false });
    const refused = await api.fail('updates.check', {});
    expect(refused.code).toBe(ErrorCode.InvalidOperation);
    expect(refused.message).toMatch(/off/);
    expect(requests).toEqual([]);
  });

  it('once turned on, read the feed (purpose "update-check") and show the release notes, downloading nothing', async () => {
    const api = await open();
    expect(await api.call('updates.settings.set', { checkForUpdates: true })).toMatchObject({
      checkForUpdates: true,
    });
    const check = await api.call('updates.check', {});
    expect(check).toMatchObject({
      currentVersion: '1.2.0',
      latestVersion: '1.3.0',
      newer: true,
      notes: expect.stringContaining('Grounded citations'),
      url: 'https://example.invalid/hearth/releases/v1.3.0',
    });
    expect(requests).toEqual(['/repos/hearth/releases/latest']);
    expect(purposes).toEqual(['update-check']);
  });

  it('remember the choice and the feed, read a plain feed, and fail clearly on a bad one', async () => {
    let api = await open();
    await api.call('updates.settings.set', { checkForUpdates: true, releasesUrl: `${base}/plain.json` });
    await engine?.dispose();
    api = await open();
    expect(await api.call('updates.check', {})).toMatchObject({ latestVersion: '1.2.0', newer: false });
    await api.call('updates.settings.set', { releasesUrl: `${base}/broken.json` });
    expect(await api.fail('updates.check', {})).toMatchObject({
      code: ErrorCode.UpdateCheckFailed,
      message: expect.stringMatching(/names no release/),
    });
    await api.call('updates.settings.set', { releasesUrl: `${base}/down.json` });
    expect(await api.fail('updates.check', {})).toMatchObject({
      code: ErrorCode.UpdateCheckFailed,
      message: expect.stringMatching(/answered 503/),
    });
    expect((await api.fail('updates.settings.set', { releasesUrl: 'not a url' })).code).toBe(
      ErrorCode.BadRequest,
    );
  });

  it('compare versions as numbers, a pre-release before its release', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBe(1);
    expect(compareVersions('v1.2.0', '1.2.0')).toBe(0);
    expect(compareVersions('1.3.0-beta.1', '1.3.0')).toBe(-1);
    expect(compareVersions('2.0', '1.99.99')).toBe(1);
  });
});
