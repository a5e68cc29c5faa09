/**
 * The parse worker for tests. The app's build emits parseWorker.js next to its entry; tests run
 * from source, so they bundle the worker once (rolldown, packages left external) into a cache
 * folder keyed by the sources' content.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const parseDir = join(repoRoot, 'electron/core/library/parse');

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        hash.update(path).update(await readFile(path));
    }
  };
  await walk(parseDir);
  return hash.digest('hex').slice(0, 16);
}

let pending: Promise<string> | undefined;

/** The path of a built parseWorker.js for the current sources. */
export function ensureParseWorker(): Promise<string> {
  return (pending ??= build());
}

async function build(): Promise<string> {
  // Inside node_modules, so the bundle's external imports resolve from the repository's packages.
  const dir = join(repoRoot, 'node_modules/.cache/hearth-parse-worker', await sourceHash());
  const file = join(dir, 'parseWorker.mjs');
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const { build: rolldownBuild } = await import('rolldown');
  const staging = join(dir, `staging-${process.pid}`);
  await rolldownBuild({
    input: join(parseDir, 'parseWorker.ts'),
    platform: 'node',
    // Packages stay external and resolve from the repository's node_modules.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    output: { dir: staging, format: 'esm', entryFileNames: 'parseWorker.mjs' },
    write: true,
  });
  // External packages resolve from the output's folder upward, so the output must reach node_modules.
  await rename(join(staging, 'parseWorker.mjs'), file).catch(async () => undefined);
  return file;
}
