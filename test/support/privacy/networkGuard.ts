/**
 * Installs networkGuard.cjs in this process and in every worker thread started from now on (the
 * library's parse worker included), and reads back what it recorded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import workerThreads from 'node:worker_threads';

export interface GuardedAttempt {
  kind: 'socket' | 'tls' | 'dns';
  host?: string;
  port?: number | string;
  path?: string;
  loopback: boolean;
}

export interface NetworkGuard {
  attempts(): GuardedAttempt[];
  /** Worker threads started with the guard in them. */
  guardedWorkers(): number;
}

const guardPath = fileURLToPath(new URL('./networkGuard.cjs', import.meta.url));

export function installNetworkGuard(logPath: string): NetworkGuard {
  writeFileSync(logPath, '');
  process.env.HEARTH_NET_GUARD_LOG = logPath;
  createRequire(import.meta.url)(guardPath);

  let workers = 0;
  const Original = workerThreads.Worker;
  class GuardedWorker extends Original {
    constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
      if (options.eval) {
        super(filename, options);
        return;
      }
      const url = filename instanceof URL ? filename.href : pathToFileURL(String(filename)).href;
      // The guard first, then the worker's own module, in the same thread.
      const code = `require(${JSON.stringify(guardPath)}); import(${JSON.stringify(url)});`;
      super(code, { ...options, eval: true });
      workers++;
    }
  }
  workerThreads.Worker = GuardedWorker;
  syncBuiltinESMExports();

  return {
    attempts: () =>
      readFileSync(logPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as GuardedAttempt),
    guardedWorkers: () => workers,
  };
}
