/**
 * The main-process side of parsing: one worker thread, one file at a time. A file that crashes
 * the worker or runs past the time limit fails alone; the next file gets a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../../errors/CancelledError.js';
import type { ParseLimits, ParseResult } from './types.js';

export interface ParseRequest {
  id: number;
  path: string;
  name: string;
  limits: ParseLimits;
}
export interface ParseReply {
  id: number;
  result: ParseResult;
}

export interface ParserPoolOptions {
  /** The built worker script (parseWorker.js). */
  workerPath: string;
  limits: ParseLimits;
  /** A file taking longer than this fails with a timeout. */
  timeoutMs?: number;
}

export class ParserPool {
  private worker: Worker | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ParserPoolOptions) {}

  /** Parses one file; calls are served in order. */
  parse(path: string, name: string, signal?: AbortSignal): Promise<ParseResult> {
    const run = this.queue.then(() => this.run(path, name, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private run(path: string, name: string, signal?: AbortSignal): Promise<ParseResult> {
    if (signal?.aborted) return Promise.reject(new CancelledError('Parsing was cancelled.'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<ParseResult>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
      };
      const kill = () => {
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
      };
      const onMessage = (reply: ParseReply) => {
        if (reply.id !== id) return;
        done();
        resolve(reply.result);
      };
      const onError = (error: Error) => {
        done();
        kill();
        resolve({ ok: false, outcome: 'failed', reason: `the parser crashed: ${error.message}` });
      };
      const onExit = () => {
        done();
        if (this.worker === worker) this.worker = undefined;
        resolve({ ok: false, outcome: 'failed', reason: 'the parser stopped unexpectedly (out of memory?)' });
      };
      const onAbort = () => {
        done();
        kill();
        reject(new CancelledError('Parsing was cancelled.'));
      };
      const timer = setTimeout(() => {
        done();
        kill();
        resolve({ ok: false, outcome: 'failed', reason: 'parsing took too long and was stopped' });
      }, this.options.timeoutMs ?? 300_000);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      const request: ParseRequest = { id, path, name, limits: this.options.limits };
      worker.postMessage(request);
    });
  }

  private spawn(): Worker {
    // A parser that runs away with memory dies alone instead of taking the app with it.
    const worker = new Worker(this.options.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    return worker;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
