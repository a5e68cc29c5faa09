import { describe, expect, it } from 'vitest';
import { benchmarks, selectBenchmarks } from './registry.js';
import { buildResults, describeMachine, ResultsSchema } from './results.js';
import { figure } from './stats.js';
import { formatNumber, formatSpread, formatTable } from './table.js';

const overhead = figure({
  name: 'inference.overhead',
  unit: 'tokens/s',
  values: [950, 1000, 990],
  baselines: [1000, 1000, 1000],
  target: { on: 'ratio', op: '>=', limit: 0.97 },
  note: 'one thread',
});
const idle = figure({ name: 'memory.idle', unit: 'MiB', values: [86.25], baselines: [43.1] });

describe('bench results file', () => {
  it('holds the machine and one entry per figure in the documented shape', () => {
    const results = buildResults(describeMachine(new Date('2026-01-02T03:04:05Z'), 'abc1234'), [
      overhead,
      idle,
    ]);
    const parsed = ResultsSchema.parse(JSON.parse(JSON.stringify(results)));
    expect(parsed.machine).toMatchObject({ startedAt: '2026-01-02T03:04:05.000Z', commit: 'abc1234' });
    expect(parsed.machine.cores).toBeGreaterThan(0);
    expect(parsed.results.map((r) => r.name)).toEqual(['inference.overhead', 'memory.idle']);
    expect(parsed.results[0]).toMatchObject({ value: 990, baseline: 1000, ratio: 0.99, runs: 3, met: true });
    expect(parsed.failures).toEqual([]);
  });

  it('refuses a figure that does not fit the schema', () => {
    const machine = describeMachine(new Date());
    expect(() => buildResults(machine, [{ ...idle, name: 'No Dots' }])).toThrow();
    expect(() => buildResults(machine, [{ ...idle, runs: 0 }])).toThrow();
  });
});

describe('bench table', () => {
  it('prints one Markdown row per figure, with target marks and notes below', () => {
    const lines = formatTable([overhead, idle]).split('\n');
    expect(lines[0]).toBe('| figure | value | baseline | ratio | unit | target | runs | spread |');
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(lines[2]).toBe(
      '| inference.overhead | 990 | 1,000 | 0.99 | tokens/s | ratio >= 0.97 ✓ | 3 | ±2.5% |',
    );
    expect(lines[3]).toBe('| memory.idle | 86.3 | 43.1 | 2 | MiB |  | 1 | ±0.0% |');
    expect(lines.slice(4)).toEqual(['', 'Notes:', '- inference.overhead: one thread']);
  });

  it('formats numbers to three significant digits and spreads as percentages', () => {
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(0.015312)).toBe('0.0153');
    expect(formatNumber(2359.4)).toBe('2,359');
    expect(formatNumber(0)).toBe('0');
    expect(formatSpread(0.0235)).toBe('±2.4%');
  });
});

describe('bench registry', () => {
  it('selects by group name, figure name or prefix, and refuses unknown names', () => {
    expect(selectBenchmarks(benchmarks, [])).toHaveLength(benchmarks.length);
    expect(selectBenchmarks(benchmarks, ['memory']).map((b) => b.name)).toEqual(['memory']);
    expect(selectBenchmarks(benchmarks, ['inference.overhead']).map((b) => b.name)).toEqual(['inference']);
    expect(selectBenchmarks(benchmarks, ['render.stream']).map((b) => b.name)).toEqual(['render']);
    expect(selectBenchmarks(benchmarks, ['render.markdown']).map((b) => b.name)).toEqual(['render.markdown']);
    expect(selectBenchmarks(benchmarks, ['render']).map((b) => b.name)).toEqual([
      'render',
      'render.conversation',
      'render.markdown',
    ]);
    expect(selectBenchmarks(benchmarks, ['retrieval.100k']).map((b) => b.name)).toEqual(['retrieval']);
    expect(selectBenchmarks(benchmarks, ['chat.store.search.p95']).map((b) => b.name)).toEqual([
      'chat.store',
    ]);
    expect(() => selectBenchmarks(benchmarks, ['nope'])).toThrow(/Unknown benchmark nope/);
  });

  it('names every figure the way latest.json compares them from run to run', () => {
    const names = benchmarks.flatMap((b) => b.figures);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
  });
});
