// Two Hearth processes on one data folder (the app and `hearth serve`, or two CLI pulls): each
// runs the real engine in its own child process against the local download server. Only one
// may write a model's partial file; the other is told so. A killed process's lock is stale and
// the next process takes it over, resuming from the bytes already on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestModel,
  serveTinyCatalog,
  startDownloadServer,
  TINY_MODEL_PATH,
  type DownloadServer,
} from '../../../../test/support/index.js';
import type { DownloadInfo } from '../../../common/api/contract.js';
import type { SerializedError } from '../../../common/api/errors.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
// Inside the repository, so the bundle's bare imports (node-llama-cpp) resolve from node_modules.
const outDir = join(root, 'node_modules', '.cache', 'hearth-two-processes-child');
let child: string;
const modelBytes = buildTestModel({ seed: 31 });

beforeAll(async () => {
  await build({
    configFile: false,
    logLevel: 'error',
    build: {
      ssr: join(import.meta.dirname, 'twoProcesses.child.ts'),
      outDir,
      target: 'node20',
      emptyOutDir: true,
      rollupOptions: { output: { entryFileNames: 'twoProcesses.child.mjs' } },
    },
  });
  child = join(outDir, 'twoProcesses.child.mjs');
}, 120_000);

interface Line {
  pid?: number;
  download?: DownloadInfo;
  finished?: DownloadInfo;
  error?: SerializedError;
}

let server: DownloadServer;
let home: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  server = await startDownloadServer();
  serveTinyCatalog(server, modelBytes);
  home = await mkdtemp(join(tmpdir(), 'hearth-two-'));
});
afterEach(async () => {
  for (const proc of children.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill();
  await server.close();
  await rm(home, { recursive: true, force: true });
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Starts a pull in a child process; `until` resolves with the first line that matches. */
function pull() {
  const proc = spawn(process.execPath, [child, home, `${server.url}/catalog.json`, server.url, 'tiny'], {
    env: { ...process.env, HEARTH_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  const lines: Line[] = [];
  const waiting: Array<{ match: (line: Line) => boolean; resolve: (line: Line) => void }> = [];
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    for (const wait of [...waiting]) {
      if (wait.match(line)) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(line);
      }
    }
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  return {
    proc,
    exited,
    until: (match: (line: Line) => boolean) =>
      new Promise<Line>((resolve, reject) => {
        const seen = lines.find(match);
        if (seen) return resolve(seen);
        waiting.push({ match, resolve });
        void exited.then(() => setTimeout(() => reject(new Error('the child ended first')), 50));
      }),
  };
}

const downloading = (line: Line) =>
  (line.download?.receivedBytes ?? 0) > 0 && line.download?.state === 'downloading';

describe('downloads from two processes on one data folder', () => {
  it('lets one process download a model and tells the second it is already being downloaded', async () => {
    server.faults.bytesPerSecond = 150_000; // about 5 s for the model: the second comes mid-way
    const first = pull();
    await first.until(downloading);
    const locks = (await readdir(join(home, 'downloads'))).filter((name) => name.endsWith('.lock'));
    expect(locks).toEqual(['tiny-F32.gguf.lock']);

    const second = pull();
    const refused = await second.until((line) => line.error !== undefined || line.finished !== undefined);
    expect(refused.error).toMatchObject({ code: 'DOWNLOAD_IN_PROGRESS_ELSEWHERE' });
    expect(refused.error?.message).toMatch(
      /already being downloaded by another Hearth window or process \(process \d+, since /,
    );
    await second.exited;

    const done = await first.until((line) => line.finished !== undefined);
    expect(done.finished).toMatchObject({ state: 'done', sha256: server.sha256(TINY_MODEL_PATH) });
    await first.exited;
    expect((await readdir(join(home, 'downloads'))).filter((name) => name.endsWith('.lock'))).toEqual([]);
    const installed = await readFile(join(modelsDir(), 'tiny-F32.gguf'));
    expect(installed.equals(modelBytes)).toBe(true);
    // Only the first process fetched the file's bytes (the server redirects them to /cdn/).
    const fetches = server.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/'));
    expect(fetches.length).toBe(1);
  }, 60_000);

  it('takes over the lock of a killed process and resumes from its partial file', async () => {
    server.faults.bytesPerSecond = 200_000;
    const first = pull();
    await first.until((line) => (line.download?.receivedBytes ?? 0) > modelBytes.length / 4);
    first.proc.kill('SIGKILL');
    await first.exited;

    server.faults.bytesPerSecond = undefined;
    const second = pull();
    const done = await second.until((line) => line.finished !== undefined || line.error !== undefined);
    expect(done.error).toBeUndefined();
    expect(done.finished).toMatchObject({ state: 'done', sha256: server.sha256(TINY_MODEL_PATH) });
    const ranges = server.requests
      .filter((r) => r.method === 'GET' && r.path.startsWith('/cdn/'))
      .map((r) => Number(/^bytes=(\d+)-/.exec(r.range ?? '')?.[1] ?? 0));
    expect(ranges).toHaveLength(2);
    expect(ranges[1]).toBeGreaterThan(modelBytes.length / 4);
    await second.exited;
    expect((await readFile(join(modelsDir(), 'tiny-F32.gguf'))).equals(modelBytes)).toBe(true);
  }, 60_000);
});

/** The engine's data folder is `home`; its models folder is `home/models`. */
function modelsDir(): string {
  return join(home, 'models');
}
