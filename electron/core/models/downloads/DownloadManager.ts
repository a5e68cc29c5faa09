/**
 * Model downloads: queued (at most `maxConcurrent` at once), resumable across restarts (each
 * file is written under <data>/downloads/<id>/ and the job list is kept in downloads.json),
 * fetched with HTTP range requests through the one network module, retried with backoff on
 * network errors and 5xx, checked for free disk space before the first byte, verified against
 * a sha256 (the catalog's, else the server's LFS hash) and only then moved into the models
 * folder. A failed verification deletes the partial file and says so.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, statfs, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { DownloadInfo, DownloadState } from '../../../common/api/contract.js';
import { HearthError } from '../../../common/api/errors.js';
import {
  DownloadFailedError,
  DownloadNotFoundError,
  InsufficientDiskError,
  NetworkBlockedError,
  VerificationFailedError,
} from '../../errors/index.js';
import { formatBytesPair } from '../../inference/memory.js';
import type { Network, NetworkResponse } from '../../net/network.js';
import { JsonStore } from '../../storage/jsonFile.js';
import { sha256File } from '../hashFile.js';
import { inspectModelFile } from '../inspectModelFile.js';
import { DownloadLocks, type HeldLock } from './DownloadLock.js';
import type { DownloadPlan } from './sources.js';

const JobFile = z.object({
  url: z.string(),
  fileName: z.string(),
  expectedSha256: z.string().optional(),
  /** The sha256 the server reported (LFS `x-linked-etag`, or a sha256 ETag). */
  serverSha256: z.string().optional(),
  totalBytes: z.number().optional(),
});
type JobFile = z.infer<typeof JobFile>;

const Job = z.object({
  id: z.string(),
  source: z.string(),
  name: z.string(),
  license: z.string().optional(),
  state: z.enum(['queued', 'downloading', 'paused', 'verifying', 'done', 'failed', 'cancelled']),
  files: z.array(JobFile).min(1),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  sha256: z.string().optional(),
});
type Job = z.infer<typeof Job>;
const StateFile = z.object({ version: z.literal(1), jobs: z.array(Job) });

export interface InstalledModel {
  modelId: string;
  /** In models-folder order: the first part first. */
  files: Array<{ id: string; sha256: string }>;
  source: string;
  license?: string;
}

export interface DownloadManagerOptions {
  dataDir: string;
  modelsDir: string;
  network: Network;
  /** Records the finished model (registry) before it is reported done. */
  onInstalled: (model: InstalledModel) => Promise<void>;
  onChange: (info: DownloadInfo) => void;
  maxConcurrent?: number;
  /** Attempts per file after a network error or 5xx, with exponential backoff from baseDelayMs. */
  retries?: number;
  baseDelayMs?: number;
  /** Free bytes on the disk holding `dir`; defaults to statfs. */
  freeDiskBytes?: (dir: string) => Promise<number>;
  /** Space left free beyond the download itself. */
  diskReserveBytes?: number;
  progressIntervalMs?: number;
  /** Start queued jobs left from the last run right away (the app); the CLI resumes on `pull`. */
  autoResume?: boolean;
}

type StopReason = 'pause' | 'cancel' | 'shutdown';

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/** Bytes on disk and recent speed samples; kept after a job stops so a paused job shows its bytes. */
interface Progress {
  received: number;
  samples: Array<{ at: number; bytes: number }>;
  lastEmit: number;
}

class RetryableError extends Error {}

const SHA256 = /^[0-9a-f]{64}$/i;

function sha256FromHeaders(headers: Headers[]): string | undefined {
  for (const name of ['x-linked-etag', 'etag']) {
    for (const set of headers) {
      const value = set.get(name)?.replace(/^W\//, '').replaceAll('"', '').trim();
      if (value && SHA256.test(value)) return value.toLowerCase();
    }
  }
  return undefined;
}

function totalFromResponse(response: NetworkResponse): number | undefined {
  const range = response.headers.get('content-range');
  const fromRange = range ? /\/(\d+)$/.exec(range)?.[1] : undefined;
  if (fromRange) return Number(fromRange);
  for (const set of [response.headers, ...response.redirectHeaders]) {
    const linked = set.get('x-linked-size');
    if (linked && /^\d+$/.test(linked)) return Number(linked);
  }
  const length = response.headers.get('content-length');
  return response.status === 200 && length && /^\d+$/.test(length) ? Number(length) : undefined;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (stats) => stats.size,
    () => 0,
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function defaultFreeDisk(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

export class DownloadManager {
  private readonly jobs: Job[] = [];
  private readonly running = new Map<string, Running>();
  private readonly progressOf = new Map<string, Progress>();
  private readonly store: JsonStore<z.infer<typeof StateFile>>;
  private readonly root: string;
  /** Cross-process: one download per model file in this data folder (see DownloadLock). */
  private readonly locks: DownloadLocks;
  private disposed = false;

  private constructor(private readonly options: DownloadManagerOptions) {
    this.root = join(options.dataDir, 'downloads');
    this.store = new JsonStore(join(this.root, 'downloads.json'));
    this.locks = new DownloadLocks(this.root);
  }

  /** Opens the manager and picks up where the last run stopped (queued and running jobs resume). */
  static async open(options: DownloadManagerOptions): Promise<DownloadManager> {
    const manager = new DownloadManager(options);
    await mkdir(manager.root, { recursive: true });
    const parsed = StateFile.safeParse(await manager.store.read());
    for (const job of parsed.success ? parsed.data.jobs : []) {
      // A job cut off mid-download or mid-verification starts again where its bytes end.
      if (job.state === 'downloading' || job.state === 'verifying') job.state = 'queued';
      manager.jobs.push(job);
      manager.progressOf.set(job.id, {
        received: await manager.receivedBytes(job),
        samples: [],
        lastEmit: 0,
      });
    }
    if (options.autoResume ?? true) manager.pump();
    return manager;
  }

  list(): DownloadInfo[] {
    return this.jobs.map((job) => this.info(job));
  }

  async start(
    plan: DownloadPlan,
    modelsDirHasFile: (fileName: string) => Promise<boolean>,
  ): Promise<DownloadInfo> {
    const first = plan.files[0];
    if (!first) throw new DownloadFailedError('Nothing to download.');
    await this.locks.assertFree(first.fileName, plan.name);
    // Asking again for a file already on its way continues that download (a paused or failed one resumes).
    const existing = this.jobs.find(
      (job) => job.files[0]?.fileName === first.fileName && job.state !== 'done' && job.state !== 'cancelled',
    );
    if (existing) {
      if (existing.state === 'paused' || existing.state === 'failed') return this.resume(existing.id);
      this.pump();
      return this.info(existing);
    }
    for (const file of plan.files) {
      if (await modelsDirHasFile(file.fileName)) {
        throw new DownloadFailedError(`${file.fileName} is already in the models folder.`);
      }
    }
    const job: Job = {
      id: randomUUID(),
      source: plan.source,
      name: plan.name,
      ...(plan.license ? { license: plan.license } : {}),
      state: 'queued',
      files: plan.files.map((file) => ({ ...file })),
    };
    this.jobs.push(job);
    this.progressOf.set(job.id, { received: 0, samples: [], lastEmit: 0 });
    await this.changed(job);
    this.pump();
    return this.info(job);
  }

  async pause(id: string): Promise<DownloadInfo> {
    const job = this.find(id);
    if (job.state === 'queued' || job.state === 'downloading') {
      job.state = 'paused';
      await this.stop(job, 'pause');
      await this.changed(job);
    }
    return this.info(job);
  }

  async resume(id: string): Promise<DownloadInfo> {
    const job = this.find(id);
    if (job.state === 'paused' || job.state === 'failed') {
      job.state = 'queued';
      delete job.error;
      await this.changed(job);
      this.pump();
    }
    return this.info(job);
  }

  async cancel(id: string): Promise<DownloadInfo> {
    const job = this.find(id);
    if (job.state !== 'done' && job.state !== 'cancelled') {
      job.state = 'cancelled';
      await this.stop(job, 'cancel');
      await rm(this.jobDir(job), { recursive: true, force: true });
      const progress = this.progressOf.get(job.id);
      if (progress) progress.received = 0;
      await this.changed(job);
    }
    return this.info(job);
  }

  /** Forgets finished, failed and cancelled jobs (deleting a failed job's partial files). */
  async clear(): Promise<DownloadInfo[]> {
    for (const job of [...this.jobs]) {
      if (job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') {
        this.jobs.splice(this.jobs.indexOf(job), 1);
        this.progressOf.delete(job.id);
        await rm(this.jobDir(job), { recursive: true, force: true });
      }
    }
    await this.persist();
    return this.list();
  }

  /** Stops running downloads, keeping them queued for the next start. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.jobs.map((job) => this.stop(job, 'shutdown')));
    await this.persist();
  }

  private find(id: string): Job {
    const job = this.jobs.find((candidate) => candidate.id === id);
    if (!job) throw new DownloadNotFoundError(`No download "${id}".`);
    return job;
  }

  private jobDir(job: Job): string {
    return join(this.root, job.id);
  }

  private async stop(job: Job, reason: StopReason): Promise<void> {
    const running = this.running.get(job.id);
    if (!running) return;
    running.controller.abort(reason);
    await running.done;
  }

  private pump(): void {
    if (this.disposed) return;
    const max = this.options.maxConcurrent ?? 2;
    for (const job of this.jobs) {
      if (this.running.size >= max) break;
      if (job.state !== 'queued' || this.running.has(job.id)) continue;
      const controller = new AbortController();
      const running: Running = { controller, done: Promise.resolve() };
      const progress: Progress = {
        received: this.progressOf.get(job.id)?.received ?? 0,
        samples: [],
        lastEmit: 0,
      };
      this.running.set(job.id, running);
      this.progressOf.set(job.id, progress);
      running.done = this.run(job, controller.signal, progress).finally(() => {
        this.running.delete(job.id);
        this.pump();
      });
    }
  }

  private async run(job: Job, signal: AbortSignal, running: Progress): Promise<void> {
    let lock: HeldLock | undefined;
    try {
      // Before any byte is written: another process may be writing this job's partial file.
      lock = await this.locks.acquire(job.files[0]?.fileName ?? job.id, job.name);
      job.state = 'downloading';
      await mkdir(this.jobDir(job), { recursive: true });
      running.received = await this.receivedBytes(job);
      await this.changed(job);
      await this.probeSizes(job, signal);
      await this.checkDisk(job);
      for (const file of job.files) await this.fetchFile(job, file, running, signal);
      running.samples = [];
      job.state = 'verifying';
      await this.changed(job);
      const hashes = await this.verify(job, signal);
      await this.install(job, hashes);
      // Released before the job reads as done: whoever acts on that finds the lock gone.
      await lock.release();
      job.state = 'done';
      job.sha256 = hashes[0];
      await this.changed(job);
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : undefined;
      if (reason === 'shutdown') {
        job.state = 'queued';
      } else if (reason === 'pause' || reason === 'cancel') {
        // pause() and cancel() set the state and report it.
      } else {
        // A failed verification deleted the partial file: nothing is left to resume from.
        running.received = await this.receivedBytes(job);
        const known = error instanceof HearthError ? error : undefined;
        await lock?.release();
        job.state = 'failed';
        job.error = {
          code: known?.code ?? 'DOWNLOAD_FAILED',
          message:
            known?.message ??
            `The download failed: ${error instanceof Error ? error.message : String(error)}`,
        };
        await this.changed(job);
      }
    } finally {
      await lock?.release();
    }
  }

  private async receivedBytes(job: Job): Promise<number> {
    let total = 0;
    for (const file of job.files) total += await sizeOf(join(this.jobDir(job), file.fileName));
    return total;
  }

  /** Learns every file's size (and the server's sha256) before the first byte, for the disk check. */
  private async probeSizes(job: Job, signal: AbortSignal): Promise<void> {
    for (const file of job.files) {
      if (file.totalBytes !== undefined && (file.expectedSha256 || file.serverSha256)) continue;
      const response = await this.withRetries(signal, () =>
        this.request(job, file.url, 'HEAD', undefined, signal).then(async (r) => {
          await r.body?.cancel().catch(() => undefined);
          return r;
        }),
      );
      this.learnFromResponse(file, response);
    }
    await this.persist();
  }

  private learnFromResponse(file: JobFile, response: NetworkResponse): void {
    const sha = sha256FromHeaders([...response.redirectHeaders, response.headers]);
    if (sha && !file.serverSha256) file.serverSha256 = sha;
    const total = totalFromResponse(response);
    if (total !== undefined) file.totalBytes = total;
  }

  private async checkDisk(job: Job): Promise<void> {
    let remaining = 0;
    for (const file of job.files) {
      if (file.totalBytes === undefined) continue;
      remaining += Math.max(0, file.totalBytes - (await sizeOf(join(this.jobDir(job), file.fileName))));
    }
    const free = await (this.options.freeDiskBytes ?? defaultFreeDisk)(this.root);
    const reserve = this.options.diskReserveBytes ?? 256 * 1024 * 1024;
    if (remaining + reserve > free) {
      const [needed, available] = formatBytesPair(remaining + reserve, free);
      throw new InsufficientDiskError(
        `Not enough disk space for ${job.name}: it needs ${needed} (with a little room to spare), ` +
          `and ${available} is free on the disk that holds ${this.root}.`,
      );
    }
  }

  private async request(
    job: Job,
    url: string,
    method: 'GET' | 'HEAD',
    range: number | undefined,
    signal: AbortSignal,
  ): Promise<NetworkResponse> {
    let response: NetworkResponse;
    try {
      response = await this.options.network.request({
        url,
        purpose: 'model-download',
        description: `model download: ${job.name}`,
        // A model URL the user pasted names its host: that host is allowed for this download.
        ...(/^https?:\/\//i.test(job.source) ? { userNamedHosts: [new URL(job.source).hostname] } : {}),
        method,
        signal,
        headers: range ? { range: `bytes=${range}-` } : {},
      });
    } catch (error) {
      // A request the network gate refused is not retried: it would be refused again.
      if (signal.aborted || error instanceof NetworkBlockedError) throw error;
      throw new RetryableError(`Network error: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      throw new RetryableError(`The server answered ${response.status}.`);
    }
    if (response.status === 416) return response;
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadFailedError(`The server answered ${response.status} for ${url}.`);
    }
    return response;
  }

  private async withRetries<T>(
    signal: AbortSignal,
    attempt: () => Promise<T>,
    progressed?: () => boolean,
  ): Promise<T> {
    const retries = this.options.retries ?? 5;
    const base = this.options.baseDelayMs ?? 1000;
    let failures = 0;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (signal.aborted || !(error instanceof RetryableError)) throw error;
        // Bytes arrived before the failure: the connection works, so start counting again.
        failures = progressed?.() ? 1 : failures + 1;
        if (failures > retries) {
          throw new DownloadFailedError(`${error.message} Gave up after ${retries} retries.`, {
            cause: error,
          });
        }
        await sleep(Math.min(base * 2 ** (failures - 1), 30_000), signal);
      }
    }
  }

  private async fetchFile(job: Job, file: JobFile, running: Progress, signal: AbortSignal): Promise<void> {
    const path = join(this.jobDir(job), file.fileName);
    let progressedSince = false;
    await this.withRetries(
      signal,
      async () => {
        progressedSince = false;
        const have = await sizeOf(path);
        if (file.totalBytes !== undefined && have === file.totalBytes) return;
        if (file.totalBytes !== undefined && have > file.totalBytes) {
          await this.restartFile(path, running, have);
          throw new RetryableError('The partial file was longer than the file on the server.');
        }
        const response = await this.request(job, file.url, 'GET', have > 0 ? have : undefined, signal);
        if (response.status === 416) {
          await this.restartFile(path, running, have);
          throw new RetryableError('The server refused the range; starting the file again.');
        }
        this.learnFromResponse(file, response);
        let offset = have;
        if (response.status === 200 && have > 0) {
          // The server ignored the range: start the file over.
          await this.restartFile(path, running, have);
          offset = 0;
        }
        if (!response.body) throw new RetryableError('The server sent no body.');
        const counter = new Transform({
          transform: (chunk: Buffer, _encoding, callback) => {
            progressedSince = true;
            this.progress(job, running, chunk.length);
            callback(null, chunk);
          },
        });
        try {
          await pipeline(
            Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>),
            counter,
            createWriteStream(path, { flags: offset > 0 ? 'a' : 'w' }),
            { signal },
          );
        } catch (error) {
          if (signal.aborted) throw error;
          throw new RetryableError(
            `The connection broke: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        const size = await sizeOf(path);
        if (file.totalBytes !== undefined && size < file.totalBytes) {
          throw new RetryableError(`The connection ended early (${size} of ${file.totalBytes} bytes).`);
        }
        file.totalBytes ??= size;
      },
      () => progressedSince,
    );
  }

  private async restartFile(path: string, running: Progress, had: number): Promise<void> {
    await truncate(path, 0).catch(() => undefined);
    running.received -= had;
  }

  private async verify(job: Job, signal: AbortSignal): Promise<string[]> {
    const hashes: string[] = [];
    for (const file of job.files) {
      const path = join(this.jobDir(job), file.fileName);
      const actual = await sha256File(path, undefined, signal);
      const expected = file.expectedSha256 ?? file.serverSha256;
      if (expected && actual !== expected.toLowerCase()) {
        await rm(this.jobDir(job), { recursive: true, force: true });
        throw new VerificationFailedError(
          `${file.fileName} failed verification: its sha256 is ${actual}, the ${file.expectedSha256 ? 'catalog' : 'server'} ` +
            `says ${expected}. The downloaded file was deleted; download it again.`,
        );
      }
      hashes.push(actual);
    }
    // Anything but a whole GGUF (an HTML error page, a cut file) never reaches the models folder.
    const first = job.files[0];
    if (first) {
      try {
        await inspectModelFile(join(this.jobDir(job), first.fileName), signal);
      } catch (error) {
        await rm(this.jobDir(job), { recursive: true, force: true });
        throw error;
      }
    }
    return hashes;
  }

  /** Later parts first, the first part last: the model is listed only once it is whole. */
  private async install(job: Job, hashes: string[]): Promise<void> {
    const ordered = job.files.map((file, index) => ({ file, sha256: hashes[index] ?? '' }));
    for (const { file } of [...ordered].reverse()) {
      const target = join(this.options.modelsDir, file.fileName);
      if ((await sizeOf(target)) > 0) {
        throw new DownloadFailedError(
          `${file.fileName} is already in the models folder; the download was kept aside.`,
        );
      }
      await rename(join(this.jobDir(job), file.fileName), target);
    }
    await rm(this.jobDir(job), { recursive: true, force: true });
    await this.options.onInstalled({
      modelId: ordered[0]?.file.fileName ?? '',
      files: ordered.map(({ file, sha256 }) => ({ id: file.fileName, sha256 })),
      source: job.source,
      ...(job.license ? { license: job.license } : {}),
    });
  }

  private progress(job: Job, running: Progress, bytes: number): void {
    running.received += bytes;
    const now = Date.now();
    const interval = this.options.progressIntervalMs ?? 250;
    if (now - running.lastEmit < interval) return;
    running.lastEmit = now;
    running.samples.push({ at: now, bytes: running.received });
    // Speed over the last few seconds, so a stall shows quickly.
    while (running.samples.length > 2 && now - (running.samples[0]?.at ?? now) > 5000)
      running.samples.shift();
    this.options.onChange(this.info(job));
  }

  private info(job: Job): DownloadInfo {
    const running = this.progressOf.get(job.id);
    const known = job.files.every((file) => file.totalBytes !== undefined);
    const totalBytes = known ? job.files.reduce((sum, file) => sum + (file.totalBytes ?? 0), 0) : undefined;
    let received = running?.received ?? 0;
    if (job.state === 'done') received = totalBytes ?? received;
    let bytesPerSecond = 0;
    const samples = running?.samples ?? [];
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (job.state === 'downloading' && first && last && last.at > first.at) {
      bytesPerSecond = Math.round(((last.bytes - first.bytes) * 1000) / (last.at - first.at));
    }
    const etaSeconds =
      totalBytes !== undefined && bytesPerSecond > 0
        ? Math.ceil(Math.max(0, totalBytes - received) / bytesPerSecond)
        : undefined;
    return {
      id: job.id,
      source: job.source,
      name: job.name,
      modelId: job.files[0]?.fileName ?? '',
      state: job.state as DownloadState,
      receivedBytes: received,
      ...(totalBytes !== undefined ? { totalBytes } : {}),
      bytesPerSecond,
      ...(etaSeconds !== undefined ? { etaSeconds } : {}),
      ...(job.error ? { error: job.error } : {}),
      ...(job.sha256 ? { sha256: job.sha256 } : {}),
    };
  }

  private async changed(job: Job): Promise<void> {
    await this.persist();
    this.options.onChange(this.info(job));
  }

  private persist(): Promise<void> {
    return this.store.save({ version: 1, jobs: this.jobs });
  }
}
