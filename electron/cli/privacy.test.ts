// `hearth privacy ledger|offline` and `hearth data delete` in-process with the real engine: offline
// mode refuses a pull from the local test server, the ledger shows it, and data delete needs --yes.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel, startDownloadServer, type DownloadServer } from '../../test/support/index.js';
import type { LedgerEntry, PrivacyStatus } from '../common/api/contract.js';
import { ErrorCode } from '../common/api/errors.js';
import { createEngine } from '../core/Engine.js';
import { makeTestHome, TEST_MODEL_ID, type TestHome } from '../host/testEngine.js';
import { CoreClient } from './client.js';
import { runCliToEnd } from './testing.js';

let home: TestHome;
let server: DownloadServer;
const run = (argv: string[]) =>
  runCliToEnd(argv, { home: home.home, cwd: home.home, env: { HEARTH_HF_BASE: server.url } });

beforeAll(async () => {
  home = await makeTestHome({ models: true });
  server = await startDownloadServer();
  server.serve('hearth/tiny-GGUF/tiny-Q8_0.gguf', { bytes: buildTestModel({ seed: 9 }) });
});
afterAll(async () => {
  await server?.close();
  await home?.cleanup();
});

describe('hearth privacy and data', () => {
  it('turns offline mode on, refuses a pull with a clear line, and lists it in the ledger', async () => {
    const on = await run(['privacy', 'offline', 'on']);
    expect(on).toMatchObject({ code: 0, stdout: expect.stringMatching(/Offline mode is on/) });
    const pull = await run(['models', 'pull', 'hf:hearth/tiny-GGUF/tiny-Q8_0.gguf']);
    expect(pull.code).toBe(2);
    expect(pull.stderr).toMatch(/did not connect to 127\.0\.0\.1 .*offline mode is on/);
    expect(server.requests).toEqual([]);

    const table = await run(['privacy', 'ledger']);
    expect(table.stdout).toMatch(/^Hearth has made 0 network connections since install \(1 more blocked\)/);
    expect(table.stdout).toMatch(
      /BLOCKED\s+127\.0\.0\.1\s+0 B\s+model download: tiny-Q8_0 \(offline mode is on\)/,
    );
    const json = JSON.parse((await run(['privacy', 'ledger', '--json'])).stdout) as PrivacyStatus & {
      entries: LedgerEntry[];
    };
    expect(json).toMatchObject({ offline: true, connections: { allowed: 0, blocked: 1 } });
    expect(json.entries[0]).toMatchObject({ allowed: false, purpose: 'model-download' });

    const off = await run(['privacy', 'offline', 'off', '--json']);
    expect(JSON.parse(off.stdout)).toMatchObject({ offline: false });
    expect((await run(['privacy', 'offline'])).stdout).toBe('Offline mode is off.\n');
    expect((await run(['privacy', 'offline', 'maybe'])).code).toBe(1);
  });

  it('turns offline mode on for an app already running on the same data folder', async () => {
    const app = await createEngine({
      home: home.home,
      version: '0.0.0-test',
      env: { HEARTH_HF_BASE: server.url },
    });
    try {
      const client = new CoreClient(app.handlers);
      expect((await client.call('privacy.status', {})).offline).toBe(false);
      const shellSaw: boolean[] = [];
      app.privacy.onOfflineChange((offline) => shellSaw.push(offline));
      expect(app.privacy.isOffline()).toBe(false);
      expect((await run(['privacy', 'offline', 'on'])).code).toBe(0);
      // The shell's synchronous check picks the change up from disk in the background.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      app.privacy.isOffline();
      await expect.poll(() => shellSaw).toEqual([true]);
      expect(app.privacy.isOffline()).toBe(true);
      expect((await client.call('privacy.status', {})).offline).toBe(true);
      const started = await client.call('downloads.start', { source: 'hf:hearth/tiny-GGUF/tiny-Q8_0.gguf' });
      await expect
        .poll(
          async () => (await client.call('downloads.list', {})).find((d) => d.id === started.id)?.error?.code,
        )
        .toBe(ErrorCode.NetworkBlocked);
      expect(server.requests).toEqual([]);
    } finally {
      await app.dispose();
      await run(['privacy', 'offline', 'off']);
    }
  });

  it('deletes all data only with --yes, keeping the models when asked', async () => {
    const refused = await run(['data', 'delete']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(await readdir(home.home)).toContain('privacy');

    const kept = await run(['data', 'delete', '--yes', '--keep-models', '--json']);
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({
      keptModels: true,
      removed: expect.arrayContaining(['privacy']),
    });
    expect(await readdir(home.modelsDir)).toContain(TEST_MODEL_ID);

    const all = await run(['data', 'delete', '--yes']);
    expect(all.stdout).toBe('Deleted all Hearth data, models included.\n');
    expect(await readdir(home.modelsDir)).toEqual([]);
  });
});
