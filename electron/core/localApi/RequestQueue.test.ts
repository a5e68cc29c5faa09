import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../common/api/errors.js';
import { RequestQueue } from './RequestQueue.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('RequestQueue', () => {
  it('runs one request per key at a time, in arrival order, and others beside it', async () => {
    const queue = new RequestQueue(() => 4);
    const order: string[] = [];
    const first = gate();
    const a = queue.run('m', async () => {
      order.push('a start');
      await first.opened;
      order.push('a end');
    });
    const b = queue.run('m', async () => void order.push('b'));
    const other = queue.run('other', async () => void order.push('other'));
    await other;
    expect(order).toEqual(['a start', 'other']);
    expect(queue.size('m')).toBe(2);
    expect(queue.busyElsewhere('other')).toBe(true);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'other', 'a end', 'b']);
    expect(queue.size('m')).toBe(0);
    expect(queue.busyElsewhere('other')).toBe(false);
  });

  it('refuses a request with QUEUE_FULL once `limit` wait, at once', async () => {
    const queue = new RequestQueue(() => 1);
    const running = gate();
    const a = queue.run('m', () => running.opened);
    const b = queue.run('m', async () => 'b');
    await expect(queue.run('m', async () => 'c')).rejects.toMatchObject({ code: ErrorCode.QueueFull });
    running.open();
    await a;
    expect(await b).toBe('b');
  });

  it('drops a waiting request whose signal aborts, and frees its place', async () => {
    const queue = new RequestQueue(() => 1);
    const running = gate();
    const a = queue.run('m', () => running.opened);
    const controller = new AbortController();
    let ran = false;
    const waiting = queue.run('m', async () => void (ran = true), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    const next = queue.run('m', async () => 'next');
    running.open();
    await a;
    expect(await next).toBe('next');
    expect(ran).toBe(false);
  });

  it('frees the lane when a request fails', async () => {
    const queue = new RequestQueue(() => 0);
    await expect(queue.run('m', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run('m', async () => 'ok')).toBe('ok');
  });
});
