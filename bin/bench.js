#!/usr/bin/env node
// Runs benchmarks: bundles bench/<name>.bench.ts (all of them without a name) into out/bench
// with Vite (Node target, dependencies external) and runs each in its own Node process.
// Usage: npm run bench [-- name ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const wanted = process.argv.slice(2);
const names = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
if (names.length === 0) {
  console.error(`No benchmark named ${wanted.join(', ')} in bench/.`);
  process.exit(1);
}
let failed = false;
for (const name of names) {
  const outDir = join(root, 'out', 'bench', name);
  await build({
    configFile: false,
    logLevel: 'error',
    build: {
      ssr: join(benchDir, `${name}.bench.ts`),
      outDir,
      target: 'node20',
      emptyOutDir: true,
      rollupOptions: { output: { entryFileNames: `${name}.mjs` } },
    },
  });
  console.log(`\n== ${name} ==`);
  const run = spawnSync(process.execPath, [join(outDir, `${name}.mjs`)], { stdio: 'inherit' });
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
