/** Child processes the way a user starts them: `hearth serve`, or a bare Node server as a baseline. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Served {
  url: string;
  pid: number;
  /** performance.timeOrigin + performance.now() of this process when it was spawned (ms since epoch). */
  spawnedAt: number;
  stop(): Promise<void>;
}

const ADDRESS = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/;

/** Spawns a process that prints its address, and resolves once it has. */
export function spawnServer(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Served> {
  const spawnedAt = performance.timeOrigin + performance.now();
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} printed no address:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ADDRESS.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining, so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({
        url: match[1],
        pid: child.pid!,
        spawnedAt,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((done) => child.once('exit', done));
          child.kill('SIGINT');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code}):\n${output}`));
    });
  });
}

/** `hearth serve` from the built CLI, on its own data folder. */
export function serveHearth(root: string, home: string): Promise<Served> {
  return spawnServer(process.execPath, [join(root, 'bin', 'hearth.js'), 'serve'], {
    cwd: root,
    env: { HEARTH_HOME: home },
  });
}

/** The baseline: a bare Node http server with one static page, no framework, no app. */
export const BARE_SERVER_SOURCE = `
const http = require('node:http');
const page = '<!doctype html><html><head><meta charset="utf-8"><title>Baseline</title></head>' +
  '<body><h1>Baseline</h1><p>A static page from a bare Node server.</p></body></html>';
const server = http.createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(page);
});
server.listen(0, '127.0.0.1', () => console.log('listening at http://127.0.0.1:' + server.address().port + '/'));
process.on('SIGINT', () => server.close(() => process.exit(0)));
`;

export function serveBare(root: string): Promise<Served> {
  return spawnServer(process.execPath, ['-e', BARE_SERVER_SOURCE], { cwd: root });
}

/** Resident memory of a process (Linux /proc), in bytes. */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
