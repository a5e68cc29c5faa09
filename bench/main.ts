/**
 * `npm run bench [-- <name>...] [--runs N]`: runs the suite (or the named benchmarks), prints a
 * Markdown table on stdout and writes bench/results/latest.json. Progress goes to stderr.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createModelResolver, MODEL_ENV } from './model.js';
import { benchmarks, selectBenchmarks } from './registry.js';
import { buildResults, describeMachine, writeResults, type Results } from './results.js';
import { formatTable } from './table.js';
import type { Figure } from './types.js';

const DEFAULT_RUNS = 5;

function gitCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  // Built to out/bench/index.js: the repository is two folders up.
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: npm run bench [-- <name>...] [--runs N]\n');
    for (const b of benchmarks)
      console.log(`  ${b.name.padEnd(12)} ${b.figures.join(', ')}\n  ${''.padEnd(12)} ${b.description}`);
    return 0;
  }
  const repetitions = values.runs === undefined ? DEFAULT_RUNS : Number(values.runs);
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error('--runs takes a positive whole number.');
  if (
    !existsSync(join(root, 'out', 'renderer', 'index.html')) ||
    !existsSync(join(root, 'out', 'cli', 'index.js'))
  ) {
    throw new Error('The app is not built: run `npm run build` first.');
  }
  const selected = selectBenchmarks(benchmarks, positionals);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!process.env[MODEL_ENV])
    log(`note: ${MODEL_ENV} is not set; the benchmarks use Hearth's generated test model.`);

  const startedAt = new Date();
  const model = createModelResolver(process.env);
  const figures: Figure[] = [];
  const failures: Results['failures'] = [];
  const controller = new AbortController();
  // The first Ctrl-C stops at the next repetition; finished benchmarks' figures are still written.
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    log('stopping after this repetition (Ctrl-C again to quit now)');
    controller.abort();
  });
  for (const benchmark of selected) {
    const workDir = await mkdtemp(join(tmpdir(), `hearth-bench-${benchmark.name}-`));
    const began = performance.now();
    log(`== ${benchmark.name}: ${benchmark.description}`);
    try {
      figures.push(
        ...(await benchmark.run({ root, workDir, model, repetitions, log, signal: controller.signal })),
      );
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`!! ${benchmark.name} failed: ${message}`);
      failures.push({
        benchmark: benchmark.name,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
      log(`== ${benchmark.name} took ${((performance.now() - began) / 1000).toFixed(1)} s`);
    }
    if (controller.signal.aborted) break;
  }

  const results = buildResults(describeMachine(startedAt, gitCommit(root)), figures, failures);
  const path = join(root, 'bench', 'results', 'latest.json');
  await writeResults(path, results);
  console.log(formatTable(figures));
  if (failures.length)
    console.log(`\nFailed: ${failures.map((f) => `${f.benchmark} (${f.error})`).join('; ')}`);
  log(`\nwrote ${path} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
