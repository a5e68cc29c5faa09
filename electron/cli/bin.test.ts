// The built command as a user runs it: `node bin/hearth.js ...` in a child process, with
// HEARTH_HOME, real signals and real exit codes. Builds out/cli first (a second or two).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelEntry } from '../common/api/contract.js';
import { rawRequest } from '../host/testing.js';
import { makeTestHome, TEST_MODEL_ID, type TestHome } from '../host/testEngine.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'hearth.js');
const rendererBuilt = existsSync(join(root, 'out', 'renderer', 'index.html'));

let home: TestHome;

beforeAll(async () => {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`Building the CLI failed:\n${build.stderr}`);
  home = await makeTestHome({ models: true });
}, 120_000);

afterAll(async () => {
  await home?.cleanup();
});

function env(): NodeJS.ProcessEnv {
  return { ...process.env, HEARTH_HOME: home.home, HEARTH_THREADS: '1' };
}

function hearth(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: env(),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('node bin/hearth.js', () => {
  it('models list --json reads HEARTH_HOME', () => {
    const run = hearth(['models', 'list', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const models = JSON.parse(run.stdout) as ModelEntry[];
    expect(models.map((m) => [m.id, m.path, m.usable])).toEqual([
      [TEST_MODEL_ID, join(home.modelsDir, TEST_MODEL_ID), true],
    ]);
  });

  it('chat --json streams deltas and the result', () => {
    const run = hearth(['chat', '--model', 'tiny', '--max-tokens', '10', '--json', 'Hello']);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.at(-1)).toMatchObject({ type: 'done', stopReason: 'maxTokens', generatedTokens: 10 });
    expect(lines.filter((line) => line.type === 'delta').length).toBeGreaterThanOrEqual(3);
  });

  it('exits 1 on a usage error, with the usage on stderr', () => {
    const run = hearth(['chat', 'no model given']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: hearth <command>');
  });

  it('exits 2 on a runtime error, with one line on stderr', () => {
    const run = hearth(['chat', '--model', 'x', 'hi']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`hearth: Model 'x' not found in ${home.modelsDir}\n`);
  });

  it('prints its version from package.json', () => {
    const run = hearth(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^hearth \d+\.\d+\.\d+/);
  });

  it.skipIf(!rendererBuilt).each(['SIGINT', 'SIGTERM'] as const)(
    'serve prints its address and exits 0 on %s (needs `npm run build` for out/renderer)',
    async (signal) => {
      const child = spawn(process.execPath, [bin, 'serve'], { cwd: root, env: env() });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const match = await new Promise<RegExpExecArray>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`No address printed: ${stdout}`)), 20_000);
          child.stdout.on('data', () => {
            const found = /Hearth is running at http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(stdout);
            if (found) {
              clearTimeout(timer);
              resolve(found);
            }
          });
        });
        const port = Number(match[1]);
        const page = await rawRequest(port, '/', { headers: { authorization: `Bearer ${match[2]}` } });
        expect(page.status).toBe(200);
        expect(page.body).toContain('<div id="app">');
        child.kill(signal);
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );
});
