/**
 * A bounded queue per model: one request runs on a model at a time (the API's context has one
 * sequence), up to `limit()` wait behind it, and any more are refused at once with QueueFull
 * (HTTP 429) instead of piling up. A waiting request whose client goes away leaves the queue.
 */
import { CancelledError, QueueFullError } from '../errors/index.js';

interface Waiter {
  start: () => void;
}

interface Lane {
  running: boolean;
  waiting: Waiter[];
}

export class RequestQueue {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limit: () => number) {}

  /** Requests running or waiting on `key`. */
  size(key: string): number {
    const lane = this.lanes.get(key);
    return lane ? lane.waiting.length + (lane.running ? 1 : 0) : 0;
  }

  /** Whether any lane other than `key` has work. */
  busyElsewhere(key: string): boolean {
    for (const [other, lane] of this.lanes)
      if (other !== key && (lane.running || lane.waiting.length)) return true;
    return false;
  }

  async run<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { running: false, waiting: [] };
      this.lanes.set(key, lane);
    }
    if (lane.running) {
      if (lane.waiting.length >= this.limit()) {
        throw new QueueFullError(
          `Too many requests for ${key}: ${lane.waiting.length} are already waiting. Try again shortly.`,
        );
      }
      await this.wait(lane, signal);
    }
    lane.running = true;
    try {
      return await work();
    } finally {
      const next = lane.waiting.shift();
      if (next) next.start();
      else {
        lane.running = false;
        this.lanes.delete(key);
      }
    }
  }

  private wait(lane: Lane, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError('The request was cancelled while it waited.'));
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = lane.waiting.indexOf(waiter);
        if (index >= 0) lane.waiting.splice(index, 1);
        reject(new CancelledError('The request was cancelled while it waited.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.waiting.push(waiter);
    });
  }
}
