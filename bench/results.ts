/**
 * bench/results/latest.json: the machine, then one entry per figure, so one run can be compared
 * with the next. The schema is checked before writing, so a malformed figure fails loudly.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Figure } from './types.js';

const Samples = z.object({ value: z.array(z.number()), baseline: z.array(z.number()).nullable() });

export const FigureSchema = z.object({
  name: z.string().regex(/^[a-z0-9]+(\.[a-z0-9-]+)+$/),
  value: z.number(),
  baseline: z.number().nullable(),
  ratio: z.number().nullable(),
  unit: z.string(),
  target: z.string(),
  met: z.boolean().nullable(),
  runs: z.number().int().positive(),
  spread: z.number().nonnegative(),
  note: z.string().optional(),
  samples: Samples,
});

export const MachineSchema = z.object({
  platform: z.string(),
  release: z.string(),
  arch: z.string(),
  cpu: z.string(),
  cores: z.number(),
  memoryBytes: z.number(),
  node: z.string(),
  startedAt: z.string(),
  commit: z.string().optional(),
});
export type Machine = z.infer<typeof MachineSchema>;

export const ResultsSchema = z.object({
  machine: MachineSchema,
  results: z.array(FigureSchema),
  /** Benchmarks that failed, with the reason: their figures are missing from `results`. */
  failures: z.array(z.object({ benchmark: z.string(), error: z.string() })),
});
export type Results = z.infer<typeof ResultsSchema>;

export function describeMachine(startedAt: Date, commit?: string): Machine {
  const cpuList = cpus();
  return {
    platform: process.platform,
    release: release(),
    arch: process.arch,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryBytes: totalmem(),
    node: process.version,
    startedAt: startedAt.toISOString(),
    ...(commit ? { commit } : {}),
  };
}

export function buildResults(
  machine: Machine,
  results: readonly Figure[],
  failures: Results['failures'] = [],
): Results {
  return ResultsSchema.parse({ machine, results, failures });
}

export async function writeResults(path: string, results: Results): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}
