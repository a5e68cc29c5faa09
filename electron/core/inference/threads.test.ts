import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { contextSizeCandidates } from './contextSize.js';
import { formatBytesPair } from './memory.js';
import { chooseThreads, parseThreadOverride, TINY_MODEL_PARAMETERS } from './threads.js';

describe('chooseThreads', () => {
  const big = 7_000_000_000;

  it('uses one thread per physical core for a real model', () => {
    expect(chooseThreads({ physicalCores: 8, logicalCores: 16, parameterCount: big })).toBe(8);
    expect(chooseThreads({ physicalCores: 2, logicalCores: 2 })).toBe(2);
  });

  it('uses one thread for a tiny model, where synchronisation costs more than the math', () => {
    expect(chooseThreads({ physicalCores: 8, logicalCores: 16, parameterCount: 300_000 })).toBe(1);
    expect(chooseThreads({ physicalCores: 8, logicalCores: 16, parameterCount: TINY_MODEL_PARAMETERS })).toBe(
      8,
    );
  });

  it('never exceeds the logical cores, even when the core count is odd', () => {
    expect(chooseThreads({ physicalCores: 32, logicalCores: 4, parameterCount: big })).toBe(4);
    expect(chooseThreads({ physicalCores: 0, logicalCores: 4, parameterCount: big })).toBe(1);
    expect(chooseThreads({ physicalCores: 4, logicalCores: 4, override: 64 })).toBe(4);
  });

  it('takes an override from an option or HEARTH_THREADS, ignoring nonsense', () => {
    expect(chooseThreads({ physicalCores: 8, logicalCores: 16, parameterCount: 1000, override: '3' })).toBe(
      3,
    );
    expect(chooseThreads({ physicalCores: 8, logicalCores: 16, parameterCount: big, override: 2 })).toBe(2);
    for (const bad of ['', 'abc', '0', '-2', '1.5']) expect(parseThreadOverride(bad)).toBeUndefined();
    expect(chooseThreads({ physicalCores: 8, logicalCores: 16, parameterCount: big, override: 'lots' })).toBe(
      8,
    );
  });

  it('stays within this machine', () => {
    const threads = chooseThreads({
      physicalCores: availableParallelism(),
      logicalCores: availableParallelism(),
    });
    expect(threads).toBeGreaterThanOrEqual(1);
    expect(threads).toBeLessThanOrEqual(availableParallelism());
  });
});

describe('contextSizeCandidates', () => {
  it('caps at 8192, floors at 2048 and halves while memory is short', () => {
    expect(contextSizeCandidates(131_072)).toEqual([8192, 4096, 2048]);
    expect(contextSizeCandidates(4096)).toEqual([4096, 2048]);
    expect(contextSizeCandidates(2048)).toEqual([2048]);
    expect(contextSizeCandidates(512)).toEqual([2048]);
    expect(contextSizeCandidates(6000)).toEqual([6000, 3000, 2048]);
    expect(contextSizeCandidates(undefined)).toEqual([4096, 2048]);
  });
});

describe('formatBytesPair', () => {
  it('puts both numbers in one readable unit', () => {
    expect(formatBytesPair(4.23e9, 1.3e9)).toEqual(['4.2 GB', '1.3 GB']);
    expect(formatBytesPair(7.2e6, 1e6)).toEqual(['7 MB', '1 MB']);
    expect(formatBytesPair(2e9, 5e8)).toEqual(['2.0 GB', '0.5 GB']);
  });
});
