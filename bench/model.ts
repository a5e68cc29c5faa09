/**
 * Which model a benchmark runs on: HEARTH_BENCH_MODEL when it is set and its trained context is
 * long enough, otherwise Hearth's generated test model (test/support) with a note saying why.
 */
import { existsSync } from 'node:fs';
import { readGgufFileInfo } from 'node-llama-cpp';
import { ensureTestModel } from '../test/support/index.js';
import type { BenchModel, ModelRequirement } from './types.js';

export const MODEL_ENV = 'HEARTH_BENCH_MODEL';

export async function trainedContextOf(path: string): Promise<number> {
  const info = await readGgufFileInfo(path, { readTensorInfo: false, logWarnings: false });
  const architecture = info.metadata.general.architecture;
  const fields = (info.metadata as unknown as Record<string, { context_length?: number } | undefined>)[
    architecture
  ];
  return Number(fields?.context_length ?? 0);
}

/** Generated test models never end an answer by themselves, so maxTokens sets the answer length. */
async function generated(minContext: number, why: string): Promise<BenchModel> {
  const contextLength = Math.max(4096, minContext);
  const path = await ensureTestModel(contextLength === 4096 ? {} : { contextLength });
  return { path, contextLength, note: `generated test model (context ${contextLength}): ${why}` };
}

export function createModelResolver(
  env: Readonly<Record<string, string | undefined>>,
): (requirement?: ModelRequirement) => Promise<BenchModel> {
  const requested = env[MODEL_ENV]?.trim();
  return async ({ minContext } = { minContext: 0 }) => {
    if (!requested) return generated(minContext, `${MODEL_ENV} is not set`);
    if (!existsSync(requested))
      throw new Error(`${MODEL_ENV} names a file that does not exist: ${requested}`);
    const contextLength = await trainedContextOf(requested);
    if (contextLength < minContext) {
      return generated(
        minContext,
        `${MODEL_ENV}'s trained context (${contextLength}) is below the ${minContext} this benchmark needs`,
      );
    }
    return { path: requested, contextLength };
  };
}
