/**
 * Bundles a TypeScript entry for a test to run in another process or thread (rolldown, packages
 * left external), cached inside node_modules so the bundle's imports resolve from the repository.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function hashSources(dirs: string[]): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        hash.update(path).update(await readFile(path));
      }
    }
  };
  for (const dir of dirs) await walk(join(repoRoot, dir));
  return hash.digest('hex').slice(0, 16);
}

const pending = new Map<string, Promise<string>>();

/** The path of `entry` (repository-relative) bundled to one .mjs file, rebuilt when `sourceDirs` change. */
export function bundleForTests(entry: string, sourceDirs: string[]): Promise<string> {
  let result = pending.get(entry);
  if (!result) {
    result = build(entry, sourceDirs);
    pending.set(entry, result);
  }
  return result;
}

async function build(entry: string, sourceDirs: string[]): Promise<string> {
  const name = entry.replace(/^.*\//, '').replace(/\.ts$/, '');
  const dir = join(
    repoRoot,
    'node_modules/.cache/hearth-test-bundles',
    `${name}-${await hashSources(sourceDirs)}`,
  );
  const file = join(dir, `${name}.mjs`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const { build: rolldownBuild } = await import('rolldown');
  const staging = join(dir, `staging-${process.pid}`);
  await rolldownBuild({
    input: join(repoRoot, entry),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    output: { dir: staging, format: 'esm', entryFileNames: `${name}.mjs` },
    write: true,
  });
  // Another process may have finished the same bundle first; either copy is the same.
  await rename(join(staging, `${name}.mjs`), file).catch(() => undefined);
  return file;
}
