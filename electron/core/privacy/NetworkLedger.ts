/**
 * The network ledger: every outbound attempt the gate sees, allowed or blocked, appended as one JSON
 * line to <data>/privacy/network-ledger.jsonl before the connection is made. Appends are single
 * writes in O_APPEND mode, so a crash can at worst leave a torn last line, which reading skips and
 * the next append starts after. Bytes are known only when a response ends: a second, short line
 * (`{"seq":N,"done":...}`) completes the first. The file rotates to `.1` past `maxBytes`, so the
 * ledger stays under twice that; the counts since install live in every attempt line and survive
 * rotation.
 */
import { appendFile, chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LedgerEntry, NetworkPurpose } from '../../common/api/contract.js';

export const LEDGER_FILE = 'network-ledger.jsonl';
const DEFAULT_MAX_BYTES = 512 * 1024;

const AttemptLine = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  host: z.string(),
  method: z.string(),
  purpose: NetworkPurpose,
  description: z.string(),
  allowed: z.boolean(),
  reason: z.string().optional(),
  /** Counts including this attempt. */
  totals: z.object({ allowed: z.number(), blocked: z.number() }),
});
const DoneLine = z.object({
  seq: z.number().int().positive(),
  done: z.literal(true),
  bytes: z.number(),
  status: z.number().optional(),
  error: z.string().optional(),
});
type AttemptLine = z.infer<typeof AttemptLine>;
type DoneLine = z.infer<typeof DoneLine>;

export interface LedgerAttempt {
  host: string;
  method: string;
  purpose: NetworkPurpose;
  description: string;
  allowed: boolean;
  reason?: string;
}

export interface LedgerTotals {
  allowed: number;
  blocked: number;
}

function parseLines(text: string): Array<AttemptLine | DoneLine> {
  const lines: Array<AttemptLine | DoneLine> = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue; // a line torn by a crash
    }
    const done = DoneLine.safeParse(value);
    if (done.success) {
      lines.push(done.data);
      continue;
    }
    const attempt = AttemptLine.safeParse(value);
    if (attempt.success) lines.push(attempt.data);
  }
  return lines;
}

async function readOrEmpty(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

export class NetworkLedger {
  private chain: Promise<void> = Promise.resolve();
  private readonly path: string;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private seq: number,
    private totals: LedgerTotals,
    /** Bytes in the current file (rotation is decided without a stat per line). */
    private size: number,
  ) {
    this.path = join(dir, LEDGER_FILE);
  }

  static async open(dir: string, options: { maxBytes?: number } = {}): Promise<NetworkLedger> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, LEDGER_FILE);
    const current = await readOrEmpty(path);
    if (current && !current.endsWith('\n')) {
      // A torn last line: the next entry starts on a line of its own.
      await appendFile(path, '\n', { mode: 0o600 });
    }
    let seq = 0;
    let totals: LedgerTotals = { allowed: 0, blocked: 0 };
    for (const text of [await readOrEmpty(`${path}.1`), current]) {
      for (const line of parseLines(text)) {
        seq = Math.max(seq, line.seq);
        if ('totals' in line) totals = line.totals;
      }
    }
    const size = await stat(path).then(
      (stats) => stats.size,
      () => 0,
    );
    return new NetworkLedger(dir, options.maxBytes ?? DEFAULT_MAX_BYTES, seq, totals, size);
  }

  counts(): LedgerTotals {
    return { ...this.totals };
  }

  /** Records an attempt before it is made; returns its sequence number. */
  record(attempt: LedgerAttempt): Promise<number> {
    const seq = ++this.seq;
    this.totals = {
      allowed: this.totals.allowed + (attempt.allowed ? 1 : 0),
      blocked: this.totals.blocked + (attempt.allowed ? 0 : 1),
    };
    const line: AttemptLine = {
      seq,
      at: new Date().toISOString(),
      host: attempt.host,
      method: attempt.method,
      purpose: attempt.purpose,
      description: attempt.description.slice(0, 500),
      allowed: attempt.allowed,
      ...(attempt.reason ? { reason: attempt.reason } : {}),
      totals: this.counts(),
    };
    return this.append(line).then(() => seq);
  }

  /** Records how an allowed attempt ended: bytes received, HTTP status or the network error. */
  complete(seq: number, result: { bytes: number; status?: number; error?: string }): Promise<void> {
    const line: DoneLine = {
      seq,
      done: true,
      bytes: result.bytes,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error ? { error: result.error.slice(0, 300) } : {}),
    };
    return this.append(line);
  }

  /** Entries newest first (at most `limit`), each attempt merged with its completion line. */
  async list(limit = 500): Promise<LedgerEntry[]> {
    await this.chain;
    const lines = [
      ...parseLines(await readOrEmpty(`${this.path}.1`)),
      ...parseLines(await readOrEmpty(this.path)),
    ];
    const done = new Map<number, DoneLine>();
    for (const line of lines) if ('done' in line) done.set(line.seq, line);
    const entries: LedgerEntry[] = [];
    for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
      const line = lines[i];
      if (!line || !('totals' in line)) continue;
      const end = done.get(line.seq);
      entries.push({
        seq: line.seq,
        at: line.at,
        host: line.host,
        method: line.method,
        purpose: line.purpose,
        description: line.description,
        allowed: line.allowed,
        ...(line.reason ? { reason: line.reason } : {}),
        bytes: end?.bytes ?? 0,
        ...(end?.status !== undefined ? { status: end.status } : {}),
        ...(end?.error ? { error: end.error } : {}),
        // A blocked attempt never opened a connection: nothing more will come.
        finished: !line.allowed || end !== undefined,
      });
    }
    return entries;
  }

  /** Waits for the appends queued so far (tests, and before the data folder is deleted). */
  flush(): Promise<void> {
    return this.chain;
  }

  private append(line: AttemptLine | DoneLine): Promise<void> {
    const text = `${JSON.stringify(line)}\n`;
    const next = this.chain.then(async () => {
      if (this.size > 0 && this.size + text.length > this.maxBytes) {
        await rename(this.path, `${this.path}.1`);
        this.size = 0;
      }
      // One write with O_APPEND: lines from one process never interleave, a crash tears at most one.
      const handle = await open(this.path, 'a', 0o600);
      try {
        await handle.write(text);
      } finally {
        await handle.close();
      }
      if (this.size === 0) await chmod(this.path, 0o600).catch(() => undefined);
      this.size += Buffer.byteLength(text);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Starts over after its files were deleted ("delete all my data"): counts and sequence from zero. */
  reset(): Promise<void> {
    const next = this.chain.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.seq = 0;
      this.totals = { allowed: 0, blocked: 0 };
      this.size = 0;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The folder it writes in (for "delete all my data"). */
  get folder(): string {
    return this.dir;
  }
}
