// kill -9 of a child process running the headless host, in the middle of a download and of a stream
// of settings writes. On restart everything is consistent: the download resumes from its partial file
// (a Range request, not from zero) and installs a verified model; the settings file is one of the
// values written, never torn. (The same kill during an ingestion batch is
// electron/core/library/crashResume.test.ts, and during a streamed answer
// electron/core/chats/store/crash.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadInfo } from '../common/api/contract.js';
import {
  bundleForTests,
  serveTinyCatalog,
  startDownloadServer,
  TINY_MODEL_PATH,
  type DownloadServer,
} from '../../test/support/index.js';
import { buildTestModel } from '../../test/support/gguf/testModel.js';
import { connect, type TestClient } from './testing.js';

let childScript: string;
let server: DownloadServer;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  childScript = await bundleForTests('electron/host/crash.child.ts', ['electron', 'test/support']);
  server = await startDownloadServer();
}, 120_000);

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

afterAll(async () => {
  await server?.close();
});

interface RunningChild {
  client: TestClient;
  kill(): Promise<NodeJS.Signals | null>;
  child: ChildProcess;
}

/** Starts the host in a child process on `home` and connects to it. */
async function startChild(home: string): Promise<RunningChild> {
  const child = spawn(process.execPath, [childScript], {
    env: {
      ...process.env,
      HEARTH_HOME: home,
      HEARTH_CATALOG_URL: `${server.url}/catalog.json`,
      HEARTH_HF_BASE: server.url,
      HEARTH_THREADS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the host child exited (${code}) before listening`)));
  });
  const { port, token } = JSON.parse(first) as { port: number; token: string };
  const client = await connect(port, token);
  return {
    client,
    child,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

function progressOf(client: TestClient): DownloadInfo | undefined {
  const events = client.messages.filter((m) => m.type === 'event' && m.event === 'downloads.changed');
  const last = events[events.length - 1];
  return last?.type === 'event' ? (last.payload as DownloadInfo) : undefined;
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('kill -9 of the host', () => {
  it('during a download: the restarted host resumes from the partial file and installs a verified model', async () => {
    const home = await mkdtemp(join(tmpdir(), 'hearth-kill-download-'));
    try {
      const modelBytes = buildTestModel({ seed: 3 });
      serveTinyCatalog(server, modelBytes);
      server.faults.bytesPerSecond = 150_000;
      server.requests.length = 0;

      const first = await startChild(home);
      const started = await first.client.call('downloads.start', { source: 'tiny' });
      expect(started.type).toBe('result');
      await waitUntil(
        () => (progressOf(first.client)?.receivedBytes ?? 0) > modelBytes.length * 0.3,
        30_000,
        '30% downloaded',
      );
      expect(await first.kill()).toBe('SIGKILL');
      const receivedBeforeKill = progressOf(first.client)?.receivedBytes ?? 0;
      expect(receivedBeforeKill).toBeLessThan(modelBytes.length);

      // The new host picks the download up by itself, with a Range request from the partial file.
      server.faults.bytesPerSecond = undefined;
      const requestsBefore = server.requests.length;
      const second = await startChild(home);
      try {
        await waitUntil(
          async () => {
            const reply = await second.client.call('downloads.list', {});
            return (
              reply.type === 'result' && (reply.result as DownloadInfo[]).some((d) => d.state === 'done')
            );
          },
          30_000,
          'the resumed download to finish',
        );
        const resumed = server.requests.slice(requestsBefore).filter((r) => r.range);
        const resumedAt = Number(/^bytes=(\d+)-$/.exec(resumed[resumed.length - 1]?.range ?? '')?.[1]);
        expect(resumedAt).toBeGreaterThan(0);
        expect(resumedAt).toBeLessThanOrEqual(receivedBeforeKill + 256 * 1024);

        const list = await second.client.call('models.list', {});
        const installed =
          list.type === 'result' ? (list.result as Array<{ id: string; usable: boolean; path: string }>) : [];
        const model = installed.find((entry) => entry.id.endsWith('.gguf'));
        expect(model?.usable).toBe(true);
        const bytes = await readFile(model!.path);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(server.sha256(TINY_MODEL_PATH));
      } finally {
        await second.kill();
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);

  it('during settings writes: the file holds one of the values written, never a torn one', async () => {
    const home = await mkdtemp(join(tmpdir(), 'hearth-kill-settings-'));
    const settingsFile = join(home, 'settings.json');
    try {
      let expected = 15; // the default, before any write
      for (let round = 0; round <= 3; round++) {
        const running = await startChild(home);
        // What this host read at start is what the last kill left on disk.
        const reply = await running.client.call('settings.get', {});
        expect(reply).toMatchObject({ type: 'result', result: { idleUnloadMinutes: expected } });
        if (round === 3) {
          await running.kill();
          break;
        }
        const written = new Set<number>([expected]);
        // Writes pipelined as fast as the host takes them, killed at a different moment each round.
        let stop = false;
        const writer = (async () => {
          for (let i = 1; !stop; i++) {
            const minutes = (round * 1000 + i) % 1440;
            written.add(minutes);
            running.client.send({
              type: 'call',
              id: `s${i}`,
              method: 'settings.set',
              params: { idleUnloadMinutes: minutes },
            });
            if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })();
        // Killed once writes are landing, at a different moment each round.
        await running.client.waitFor((m) => m.type === 'result' && m.id === 's1');
        await new Promise((resolve) => setTimeout(resolve, 20 + round * 67));
        expect(await running.kill()).toBe('SIGKILL');
        stop = true;
        await writer;

        const text = await readFile(settingsFile, 'utf8');
        const onDisk = JSON.parse(text) as { idleUnloadMinutes: number };
        expect(written.has(onDisk.idleUnloadMinutes)).toBe(true);
        expect((await stat(settingsFile)).size).toBe(Buffer.byteLength(text));
        expected = onDisk.idleUnloadMinutes;
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);
});
