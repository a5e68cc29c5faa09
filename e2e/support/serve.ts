/** Starts `hearth serve` as a user would (the built CLI), with its own temporary HEARTH_HOME. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestModel, markSetupDone } from '../../test/support/index.js';
import { MODEL_ID } from './chatFlow.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServedHearth {
  /** The address `hearth serve` printed, token included. */
  url: string;
  home: string;
  stop(): Promise<void>;
}

/** A HEARTH_HOME whose models folder holds the generated test model and one file that is not a model. */
export async function makeHomeWithModels(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'hearth-e2e-'));
  await mkdir(join(home, 'models'), { recursive: true });
  await copyFile(await ensureTestModel({ name: 'Hearth Test' }), join(home, 'models', MODEL_ID));
  await writeFile(join(home, 'models', 'notes-not-a-model.gguf'), 'these are my notes, not a model\n');
  return home;
}

export async function makeEmptyHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hearth-e2e-empty-'));
}

export interface ServeOptions {
  /** Extra environment for `hearth serve` (e.g. HEARTH_EMBED_MODEL, or the catalog and download base of a local test server). */
  env?: Record<string, string>;
  /** First-run setup (issue 10): seeded homes skip the welcome unless a spec asks for it here. */
  firstRun?: boolean;
}

export async function serve(home: string, options: ServeOptions = {}): Promise<ServedHearth> {
  const cli = join(repoRoot, 'out', 'cli', 'index.js');
  if (!existsSync(cli)) throw new Error('The app is not built: run `npm run build` first.');
  if (!options.firstRun) await markSetupDone(home);
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin', 'hearth.js'), 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, HEARTH_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`hearth serve printed no address:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Hearth is running at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hearth serve exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    home,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGINT');
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
