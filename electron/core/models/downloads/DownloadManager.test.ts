// Downloads against a real HTTP server on 127.0.0.1 that serves generated GGUF files and can be
// told to cut the connection, answer 503, go slowly or corrupt a byte.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadInfo } from '../../../common/api/contract.js';
import {
  buildSplitTestModel,
  buildTestModel,
  startDownloadServer,
  type DownloadServer,
} from '../../../../test/support/index.js';
import { inspectModelFile } from '../inspectModelFile.js';
import { createTestNetwork } from '../../privacy/testing.js';
import { DownloadManager, type DownloadManagerOptions, type InstalledModel } from './DownloadManager.js';
import { planDownload, type DownloadPlan } from './sources.js';

let modelBytes: Buffer;
let server: DownloadServer;
let home: string;
let modelsDir: string;
let managers: DownloadManager[];
let events: DownloadInfo[];
let installed: InstalledModel[];

beforeAll(() => {
  modelBytes = buildTestModel({ seed: 3 });
});

beforeEach(async () => {
  server = await startDownloadServer();
  server.serve('hearth/tiny-GGUF/tiny-Q8_0.gguf', { bytes: modelBytes });
  home = await mkdtemp(join(tmpdir(), 'hearth-dl-'));
  modelsDir = join(home, 'models');
  managers = [];
  events = [];
  installed = [];
});

afterEach(async () => {
  for (const manager of managers) await manager.dispose();
  await server.close();
  await rm(home, { recursive: true, force: true });
});

async function open(options: Partial<DownloadManagerOptions> = {}): Promise<DownloadManager> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(modelsDir, { recursive: true });
  const manager = await DownloadManager.open({
    dataDir: home,
    modelsDir,
    network: (await createTestNetwork(home)).network,
    onInstalled: async (model) => void installed.push(model),
    onChange: (info) => events.push(info),
    baseDelayMs: 5,
    progressIntervalMs: 20,
    diskReserveBytes: 0,
    ...options,
  });
  managers.push(manager);
  return manager;
}

function plan(source = `hf:hearth/tiny-GGUF/tiny-Q8_0.gguf`): Promise<DownloadPlan> {
  return planDownload(source, undefined, { catalog: async () => [], hfBase: server.url });
}

const notInstalled = async () => false;

async function until(
  manager: DownloadManager,
  id: string,
  states: DownloadInfo['state'][],
): Promise<DownloadInfo> {
  for (let i = 0; i < 1000; i++) {
    const info = manager.list().find((candidate) => candidate.id === id);
    if (info && states.includes(info.state)) return info;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Download ${id} never reached ${states.join('|')}: ${JSON.stringify(manager.list())}`);
}

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting: ${String(condition)}`);
}

/** Byte-for-byte (a Buffer.equals: deep equality on a 700 KB buffer takes seconds). */
async function sameAsServed(path: string): Promise<boolean> {
  return (await readFile(path)).equals(modelBytes);
}

/** The downloads folder, less a state file being written this instant (an atomic save's temporary). */
async function downloadsFolder(): Promise<string[]> {
  return (await readdir(join(home, 'downloads'))).filter((name) => !name.endsWith('.tmp'));
}

/** Requests for file bytes (not the redirecting hop). */
const gets = () =>
  server.requests.filter((request) => request.method === 'GET' && !request.path.includes('/resolve/'));

describe('DownloadManager', () => {
  it('downloads through the hf redirect, verifies the LFS sha256 and moves the file in', async () => {
    const manager = await open();
    const started = await manager.start(await plan(), notInstalled);
    expect(started).toMatchObject({ modelId: 'tiny-Q8_0.gguf', name: 'tiny-Q8_0' });
    expect(['queued', 'downloading']).toContain(started.state);
    const done = await until(manager, started.id, ['done', 'failed']);
    const sha = server.sha256('hearth/tiny-GGUF/tiny-Q8_0.gguf');
    expect(done).toMatchObject({ state: 'done', sha256: sha, totalBytes: modelBytes.length });
    expect(done.receivedBytes).toBe(modelBytes.length);
    expect(await sameAsServed(join(modelsDir, 'tiny-Q8_0.gguf'))).toBe(true);
    expect(installed).toEqual([
      {
        modelId: 'tiny-Q8_0.gguf',
        files: [{ id: 'tiny-Q8_0.gguf', sha256: sha }],
        source: 'hf:hearth/tiny-GGUF/tiny-Q8_0.gguf',
      },
    ]);
    // Nothing is left behind in the downloads folder but its state file.
    expect(await downloadsFolder()).toEqual(['downloads.json']);
    const states = events.filter((e) => e.id === started.id).map((e) => e.state);
    expect(states).toContain('downloading');
    expect(states).toContain('verifying');
  });

  it('resumes with a range request after the connection is cut half way', async () => {
    server.faults.cutAtFraction = 0.5;
    const manager = await open();
    const { id } = await manager.start(await plan(), notInstalled);
    expect(await until(manager, id, ['done', 'failed'])).toMatchObject({ state: 'done' });
    const ranges = gets().map((request) => request.range);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(ranges[ranges.length - 1] ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(Math.floor(modelBytes.length * 0.5));
    expect(await sameAsServed(join(modelsDir, 'tiny-Q8_0.gguf'))).toBe(true);
  });

  it('starts the file over when the server ignores the range, and still verifies', async () => {
    server.faults.cutAtFraction = 0.5;
    server.faults.ignoreRange = true;
    const manager = await open();
    const { id } = await manager.start(await plan(), notInstalled);
    expect(await until(manager, id, ['done', 'failed'])).toMatchObject({ state: 'done' });
    expect(gets().at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await sameAsServed(join(modelsDir, 'tiny-Q8_0.gguf'))).toBe(true);
  });

  it('retries a 503 with backoff, and gives up after its retries with a clear error', async () => {
    server.faults.fail503Times = 2;
    const manager = await open({ retries: 3 });
    const first = await manager.start(await plan(), notInstalled);
    expect(await until(manager, first.id, ['done', 'failed'])).toMatchObject({ state: 'done' });

    server.serve('hearth/tiny-GGUF/other.gguf', { bytes: modelBytes });
    server.faults.fail503Times = 100;
    const second = await manager.start(await plan('hf:hearth/tiny-GGUF/other.gguf'), notInstalled);
    const failed = await until(manager, second.id, ['done', 'failed']);
    expect(failed.error).toEqual({
      code: 'DOWNLOAD_FAILED',
      message: 'The server answered 503. Gave up after 3 retries.',
    });
  });

  it('refuses a corrupted download, deletes it and never installs it', async () => {
    server.faults.corrupt = true;
    const manager = await open();
    const { id } = await manager.start(await plan(), notInstalled);
    const failed = await until(manager, id, ['done', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('VERIFICATION_FAILED');
    expect(failed.error?.message).toMatch(/failed verification.*deleted/);
    expect(failed.receivedBytes).toBe(0);
    expect(await readdir(modelsDir)).toEqual([]);
    expect(installed).toEqual([]);
    expect(await downloadsFolder()).toEqual(['downloads.json']);
  });

  it('refuses to start without enough disk, with the numbers', async () => {
    const manager = await open({ freeDiskBytes: async () => 100_000 });
    const { id } = await manager.start(await plan(), notInstalled);
    const failed = await until(manager, id, ['done', 'failed']);
    expect(failed.error?.code).toBe('INSUFFICIENT_DISK');
    expect(failed.error?.message).toMatch(/needs 716 KB .* and 100 KB is free/);
    expect(gets()).toEqual([]);
  });

  it('cut at 50%, manager disposed (a restart), a new one resumes from the partial file and verifies', async () => {
    server.faults.cutAtFraction = 0.5;
    // Backoff long enough that the first manager is still waiting when the app "quits".
    const first = await open({ baseDelayMs: 60_000 });
    const { id } = await first.start(await plan(), notInstalled);
    const partial = join(home, 'downloads', id, 'tiny-Q8_0.gguf');
    const half = Math.floor(modelBytes.length * 0.5);
    // The cut leaves up to half on disk (bytes still in flight when the socket died are lost).
    let last = -1;
    await waitFor(async () => {
      const size = (await stat(partial).catch(() => null))?.size ?? 0;
      const settled = size > 0 && size === last;
      last = size;
      return settled && gets().length === 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.dispose();
    managers = [];
    const kept = (await stat(partial)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(half);
    const requestsBefore = gets().length;

    const second = await open();
    expect(second.list()[0]).toMatchObject({ id, receivedBytes: kept });
    const done = await until(second, id, ['done', 'failed']);
    expect(done).toMatchObject({ state: 'done', sha256: server.sha256('hearth/tiny-GGUF/tiny-Q8_0.gguf') });
    expect(
      gets()
        .slice(requestsBefore)
        .map((r) => r.range),
    ).toEqual([`bytes=${half}-`]);
    expect(await sameAsServed(join(modelsDir, 'tiny-Q8_0.gguf'))).toBe(true);
  });

  it('pauses keeping the partial file, resumes from it, and cancels deleting it', async () => {
    server.faults.bytesPerSecond = 400_000;
    const manager = await open();
    const { id } = await manager.start(await plan(), notInstalled);
    await waitFor(() => (manager.list()[0]?.receivedBytes ?? 0) > 100_000);
    const paused = await manager.pause(id);
    expect(paused.state).toBe('paused');
    const partial = join(home, 'downloads', id, 'tiny-Q8_0.gguf');
    const kept = (await stat(partial)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(modelBytes.length);
    expect(manager.list()[0]).toMatchObject({ state: 'paused', receivedBytes: kept });

    server.faults.bytesPerSecond = undefined;
    await manager.resume(id);
    expect(await until(manager, id, ['done', 'failed'])).toMatchObject({ state: 'done' });
    expect(gets().at(-1)?.range).toBe(`bytes=${kept}-`);

    server.faults.bytesPerSecond = 400_000;
    server.serve('hearth/tiny-GGUF/other.gguf', { bytes: modelBytes });
    const other = await manager.start(await plan('hf:hearth/tiny-GGUF/other.gguf'), notInstalled);
    await waitFor(() => (manager.list().find((d) => d.id === other.id)?.receivedBytes ?? 0) > 0);
    expect(await manager.cancel(other.id)).toMatchObject({ state: 'cancelled', receivedBytes: 0 });
    await expect(stat(join(home, 'downloads', other.id))).rejects.toThrow();
    expect(await readdir(modelsDir)).toEqual(['tiny-Q8_0.gguf']);
  });

  it('runs at most two at once and queues the rest; reports speed and ETA', async () => {
    server.faults.bytesPerSecond = 1_000_000;
    for (const name of ['a', 'b', 'c']) server.serve(`hearth/tiny-GGUF/${name}.gguf`, { bytes: modelBytes });
    const manager = await open();
    const ids = [];
    for (const name of ['a', 'b', 'c']) {
      ids.push((await manager.start(await plan(`hf:hearth/tiny-GGUF/${name}.gguf`), notInstalled)).id);
    }
    await waitFor(() => manager.list().filter((d) => d.state === 'downloading').length === 2);
    expect(manager.list().map((d) => d.state)).toEqual(['downloading', 'downloading', 'queued']);
    for (const id of ids) await until(manager, id, ['done', 'failed']);
    expect(manager.list().map((d) => d.state)).toEqual(['done', 'done', 'done']);
    const moving = events.filter((e) => e.state === 'downloading' && e.bytesPerSecond > 0);
    expect(moving.length).toBeGreaterThan(0);
    expect(moving.some((e) => e.etaSeconds !== undefined && e.etaSeconds >= 0)).toBe(true);
    // Never more than two running at the same time, by the events' own account.
    const running = new Set<string>();
    let most = 0;
    for (const event of events) {
      if (event.state === 'downloading' || event.state === 'verifying') running.add(event.id);
      else running.delete(event.id);
      most = Math.max(most, running.size);
    }
    expect(most).toBe(2);
  });

  it('refuses a file that is not a GGUF even when its hash matches, and a plain server without hashes still works', async () => {
    server.serve('/files/page.gguf', { bytes: Buffer.from('<html>Not a model</html>') });
    server.serve('/files/plain.gguf', { bytes: modelBytes, noHash: true });
    const manager = await open();
    const page = await manager.start(await plan(`${server.url}/files/page.gguf`), notInstalled);
    const failed = await until(manager, page.id, ['done', 'failed']);
    expect(failed.error?.code).toBe('MODEL_INVALID');
    const plain = await manager.start(await plan(`${server.url}/files/plain.gguf`), notInstalled);
    expect(await until(manager, plain.id, ['done', 'failed'])).toMatchObject({ state: 'done' });
    expect(await readdir(modelsDir)).toEqual(['plain.gguf']);
  });

  it('downloads every part of a split GGUF as one model, the first part last', async () => {
    const parts = buildSplitTestModel({ seed: 4 }, 2);
    server.serve('hearth/split-GGUF/big-00001-of-00002.gguf', { bytes: parts[0] ?? Buffer.alloc(0) });
    server.serve('hearth/split-GGUF/big-00002-of-00002.gguf', { bytes: parts[1] ?? Buffer.alloc(0) });
    const manager = await open();
    const { id, modelId } = await manager.start(
      await plan('hf:hearth/split-GGUF/big-00001-of-00002.gguf'),
      notInstalled,
    );
    expect(modelId).toBe('big-00001-of-00002.gguf');
    const done = await until(manager, id, ['done', 'failed']);
    expect(done).toMatchObject({
      state: 'done',
      totalBytes: (parts[0]?.length ?? 0) + (parts[1]?.length ?? 0),
    });
    expect((await readdir(modelsDir)).sort()).toEqual(['big-00001-of-00002.gguf', 'big-00002-of-00002.gguf']);
    expect(installed[0]?.files.map((file) => file.id)).toEqual([
      'big-00001-of-00002.gguf',
      'big-00002-of-00002.gguf',
    ]);
    // Whole and readable as one model: both parts' tensors are there.
    const { info } = await inspectModelFile(join(modelsDir, 'big-00001-of-00002.gguf'));
    expect(info.sourceData).toHaveLength(2);
  });
});
