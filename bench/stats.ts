/** The statistics behind every figure: medians, spread and paired ratios. Pure functions. */
import type { Figure, Summary, Target } from './types.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const med = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    median: med,
    min,
    max,
    spread: med === 0 ? 0 : (max - min) / 2 / Math.abs(med),
    runs: values.length,
  };
}

/** The q-quantile (0..1) by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export function formatTarget(target: Target | undefined): string {
  return target ? `${target.on} ${target.op} ${target.limit}` : '';
}

export function meets(target: Target | undefined, value: number, ratio: number | null): boolean | null {
  if (!target) return null;
  const subject = target.on === 'ratio' ? ratio : value;
  if (subject === null || !Number.isFinite(subject)) return null;
  switch (target.op) {
    case '>=':
      return subject >= target.limit;
    case '<=':
      return subject <= target.limit;
    case '>':
      return subject > target.limit;
    case '<':
      return subject < target.limit;
  }
}

export interface FigureInput {
  name: string;
  unit: string;
  /** Hearth's measurement per repetition. */
  values: readonly number[];
  /** The baseline's measurement per repetition, paired with `values` by index. */
  baselines?: readonly number[];
  target?: Target;
  note?: string;
}

/**
 * Builds a figure from paired repetitions. The ratio is the median of per-repetition ratios, so a
 * slow moment of the machine hits both sides of a pair instead of one side of the medians.
 */
export function figure({ name, unit, values, baselines, target, note }: FigureInput): Figure {
  if (baselines && baselines.length !== values.length) {
    throw new Error(`${name}: ${values.length} values but ${baselines.length} baselines`);
  }
  const valueSummary = summarize(values);
  const ratios = baselines?.map((baseline, index) => values[index]! / baseline);
  const ratioSummary = ratios ? summarize(ratios) : null;
  const ratio = ratioSummary?.median ?? null;
  return {
    name,
    value: valueSummary.median,
    baseline: baselines ? median(baselines) : null,
    ratio,
    unit,
    target: formatTarget(target),
    met: meets(target, valueSummary.median, ratio),
    runs: values.length,
    spread: (ratioSummary ?? valueSummary).spread,
    ...(note ? { note } : {}),
    samples: { value: [...values], baseline: baselines ? [...baselines] : null },
  };
}
