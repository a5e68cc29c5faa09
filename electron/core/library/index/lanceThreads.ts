/**
 * LanceDB's compute pool defaults to one thread per core. On a 2-core machine its index merge
 * inside optimize() deadlocked (every thread parked, no CPU, forever; the same as lance issue
 * #7439): 30k chunks of 120 words written in three batches, then optimize, hung on every try with
 * the default pool and finished in ~2 s with 8 threads. The pool is sized once, at LanceDB's first
 * compute task, from LANCE_CPU_THREADS: this module sets a floor before any table is opened
 * (an explicit LANCE_CPU_THREADS is kept).
 */
import { availableParallelism } from 'node:os';

export const LANCE_THREADS_ENV = 'LANCE_CPU_THREADS';
export const MIN_LANCE_THREADS = 8;

export function lanceThreadFloor(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): void {
  if (env[LANCE_THREADS_ENV]?.trim()) return;
  env[LANCE_THREADS_ENV] = String(Math.max(MIN_LANCE_THREADS, cores));
}

lanceThreadFloor();
