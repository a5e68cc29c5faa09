import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatEta,
  formatLastUsed,
  formatParameterCount,
  formatSpeed,
  formatTransferred,
  modelDisplayName,
} from './format.js';

describe('model formatting', () => {
  it('names a model by its header name unless that only repeats the architecture', () => {
    expect(
      modelDisplayName({ name: 'Llama 3.2 3B Instruct', fileName: 'a.gguf', architecture: 'llama' }),
    ).toBe('Llama 3.2 3B Instruct');
    expect(modelDisplayName({ name: 'llama', fileName: 'stories260K.gguf', architecture: 'llama' })).toBe(
      'stories260K',
    );
    expect(modelDisplayName({ fileName: 'Qwen2.5-7B.GGUF' })).toBe('Qwen2.5-7B');
  });

  it('writes sizes and parameter counts briefly', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_185_376)).toBe('1.1 MB');
    expect(formatBytes(2_019_377_696)).toBe('1.9 GB');
    expect(formatParameterCount(292_480)).toBe('292K');
    expect(formatParameterCount(3_212_749_888)).toBe('3.2B');
    expect(formatParameterCount(70_553_706_496)).toBe('71B');
  });
});

describe('download and usage formatting', () => {
  it('says how long is left in words', () => {
    expect(formatEta(7.2)).toBe('8 s left');
    expect(formatEta(185)).toBe('3 min left');
    expect(formatEta(4800)).toBe('1 h 20 min left');
    expect(formatEta(7200)).toBe('2 h left');
    expect(formatEta(null)).toBeNull();
    expect(formatEta(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('writes speeds and transferred bytes', () => {
    expect(formatSpeed(4_404_019)).toBe('4.2 MB/s');
    expect(formatTransferred(1_185_376, 41_943_040)).toBe('1.1 MB of 40.0 MB');
    expect(formatTransferred(2048, undefined)).toBe('2.0 KB');
  });

  it('says when a model was last used', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(formatLastUsed(undefined, now)).toBe('Never used');
    expect(formatLastUsed(now - 20_000, now)).toBe('Used just now');
    expect(formatLastUsed(now - 5 * 60_000, now)).toBe('Used 5 min ago');
    expect(formatLastUsed('2026-11-27T09:00:00Z', now)).toBe('Used 3 h ago');
    expect(formatLastUsed(now - 36 * 3600_000, now)).toBe('Used yesterday');
    expect(formatLastUsed(now - 12 * 86_400_000, now)).toBe('Used 12 days ago');
    expect(formatLastUsed('2026-01-05T10:00:00Z', now)).toBe('Used Jan 5, 2026');
  });
});
