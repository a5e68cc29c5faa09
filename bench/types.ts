/**
 * What a benchmark is and what it reports. A benchmark measures Hearth and its baseline side by
 * side, several times, and returns figures; the runner prints and saves them.
 */

/** A goal for the product, checked against a figure's ratio or its value. Reported, never asserted. */
export interface Target {
  on: 'ratio' | 'value';
  op: '>=' | '<=' | '<' | '>';
  limit: number;
}

/** Summary of repeated measurements: the median and the relative half-range, (max - min) / 2 / median. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Relative half-range: 0.05 means the runs lay within about ±5% of the median. */
  spread: number;
  runs: number;
}

/** One row of the table and one entry of latest.json. */
export interface Figure {
  name: string;
  /** Median of Hearth's measurements. */
  value: number;
  /** Median of the baseline's measurements, taken in the same run; null where there is none. */
  baseline: number | null;
  /** Median of the per-repetition ratios value/baseline; null without a baseline. */
  ratio: number | null;
  unit: string;
  /** The goal as text, e.g. "ratio >= 0.97". */
  target: string;
  /** Whether the goal was met; null without a goal. */
  met: boolean | null;
  runs: number;
  /** Spread of the ratio (or of the value without a baseline), as in Summary.spread. */
  spread: number;
  /** What to know when reading the figure (model used, shortened runs, ...). */
  note?: string;
  samples: { value: number[]; baseline: number[] | null };
}

/** The model a benchmark runs on, and why that one. */
export interface BenchModel {
  path: string;
  /** Trained context length from the file's header. */
  contextLength: number;
  /** Set when the requested model was not used (unset or too short a context). */
  note?: string;
}

export interface ModelRequirement {
  /** The least trained context the benchmark needs. */
  minContext: number;
}

export interface BenchContext {
  /** The repository root (for out/, bin/). */
  root: string;
  /** A temporary folder of its own, removed after the benchmark. */
  workDir: string;
  /** The model to use: HEARTH_BENCH_MODEL, or a generated test model with a note. */
  model(requirement?: ModelRequirement): Promise<BenchModel>;
  /** Repetitions to run (`--runs`, default 5); a benchmark may take fewer or more and says so. */
  repetitions: number;
  /** Progress lines (stderr), so stdout stays the table. */
  log(line: string): void;
  /** Aborted on Ctrl-C: benchmarks check it between repetitions. */
  signal: AbortSignal;
}

export interface Benchmark {
  /** Group name, matched by `npm run bench -- <name>` (a figure name or its prefix also matches). */
  name: string;
  /** Names of the figures it reports. */
  figures: readonly string[];
  description: string;
  run(context: BenchContext): Promise<Figure[]>;
}
