/**
 * How many threads llama.cpp gets. Oversubscribing is ruinous (measured on a 2-core box: 1.8
 * tokens/s with the default thread count against 1,000 with one thread on a tiny model), so:
 * never more than the physical cores, one thread for tiny models (thread synchronisation costs
 * more than their matrices), and an explicit override when the user knows better.
 */

export const THREADS_ENV = 'HEARTH_THREADS';

/** Below this many parameters a model runs fastest on one thread. */
export const TINY_MODEL_PARAMETERS = 100_000_000;

export interface ThreadInputs {
  /** Physical cores useful for math (node-llama-cpp's `llama.cpuMathCores`). */
  physicalCores: number;
  /** Logical processors (`os.availableParallelism()`): the hard cap, even for an override. */
  logicalCores: number;
  parameterCount?: number;
  /** From the caller or HEARTH_THREADS; ignored unless a positive integer. */
  override?: number | string;
}

export function parseThreadOverride(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'number' ? value : Number(value.trim());
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

export function chooseThreads({
  physicalCores,
  logicalCores,
  parameterCount,
  override,
}: ThreadInputs): number {
  const cap = Math.max(1, Math.floor(logicalCores));
  const requested = parseThreadOverride(override);
  if (requested !== undefined) return Math.min(requested, cap);
  if (parameterCount !== undefined && parameterCount < TINY_MODEL_PARAMETERS) return 1;
  return Math.min(Math.max(1, Math.floor(physicalCores)), cap);
}
