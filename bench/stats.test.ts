import { describe, expect, it } from 'vitest';
import { figure, median, meets, quantile, summarize } from './stats.js';
import { costAt, costPerUnit } from './support/cost.js';

describe('bench statistics', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('reports the spread as the half-range relative to the median', () => {
    expect(summarize([90, 100, 110])).toMatchObject({ median: 100, min: 90, max: 110, spread: 0.1, runs: 3 });
    expect(summarize([7]).spread).toBe(0);
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5);
  });

  it('pairs repetitions: the ratio is the median of per-run ratios, not a ratio of medians', () => {
    // A slow second run hits both sides of its pair.
    const result = figure({
      name: 'inference.overhead',
      unit: 'tokens/s',
      values: [98, 49, 97],
      baselines: [100, 50, 100],
      target: { on: 'ratio', op: '>=', limit: 0.97 },
    });
    expect(result.value).toBe(97);
    expect(result.baseline).toBe(100);
    expect(result.ratio).toBe(0.98);
    expect(result.met).toBe(true);
    expect(result.target).toBe('ratio >= 0.97');
    expect(result.spread).toBeCloseTo(0.005);
    expect(result.samples).toEqual({ value: [98, 49, 97], baseline: [100, 50, 100] });
  });

  it('works without a baseline and refuses unpaired repetitions', () => {
    const alone = figure({ name: 'memory.idle', unit: 'MiB', values: [80, 90] });
    expect(alone).toMatchObject({ baseline: null, ratio: null, met: null, target: '', runs: 2 });
    expect(() => figure({ name: 'a.b', unit: 'ms', values: [1, 2], baselines: [1] })).toThrow(/baselines/);
  });

  it('checks targets on the ratio or the value', () => {
    expect(meets({ on: 'ratio', op: '<', limit: 0.1 }, 36, 0.015)).toBe(true);
    expect(meets({ on: 'ratio', op: '<', limit: 0.1 }, 36, 0.5)).toBe(false);
    expect(meets({ on: 'value', op: '<=', limit: 50 }, 51, null)).toBe(false);
    expect(meets({ on: 'ratio', op: '>=', limit: 1 }, 1, null)).toBeNull();
    expect(meets(undefined, 1, 1)).toBeNull();
  });

  it('finds per-token cost between two points of a stream from cumulative samples', () => {
    const samples = [
      { units: 0, cost: 0 },
      { units: 100, cost: 100 },
      { units: 300, cost: 700 },
    ];
    expect(costAt(samples, 50)).toBe(50);
    expect(costAt(samples, 200)).toBe(400);
    expect(costAt(samples, 1000)).toBe(700);
    expect(costPerUnit(samples, 0, 100)).toBe(1);
    expect(costPerUnit(samples, 200, 300)).toBe(3);
    expect(() => costPerUnit(samples, 5, 5)).toThrow();
  });
});
