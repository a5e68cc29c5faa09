import { describe, expect, it } from 'vitest';
import { LANCE_THREADS_ENV, lanceThreadFloor, MIN_LANCE_THREADS } from './lanceThreads.js';

describe('LanceDB compute pool floor', () => {
  it('gives small machines at least the floor, big ones a thread per core, and keeps an explicit value', () => {
    const small: NodeJS.ProcessEnv = {};
    lanceThreadFloor(small, 2);
    expect(small[LANCE_THREADS_ENV]).toBe(String(MIN_LANCE_THREADS));
    const big: NodeJS.ProcessEnv = {};
    lanceThreadFloor(big, 32);
    expect(big[LANCE_THREADS_ENV]).toBe('32');
    const chosen: NodeJS.ProcessEnv = { [LANCE_THREADS_ENV]: '3' };
    lanceThreadFloor(chosen, 2);
    expect(chosen[LANCE_THREADS_ENV]).toBe('3');
  });

  it('is applied in this process before any table is opened', () => {
    expect(Number(process.env[LANCE_THREADS_ENV])).toBeGreaterThan(0);
  });
});
