import { describe, expect, it } from 'vitest';
import { formatCounts, formatEta, formatIndexedAt, formatScore, passageLocation } from './format.js';

describe('library wording', () => {
  it('says how long is left in words a person reads at a glance', () => {
    expect(formatEta(undefined)).toBeNull();
    expect(formatEta(0.4)).toBe('almost done');
    expect(formatEta(12.2)).toBe('13 s left');
    expect(formatEta(150)).toBe('about 3 min left');
    expect(formatEta(3 * 3600 + 20 * 60)).toBe('about 3 h 20 min left');
  });

  it('counts finished files, naming the skipped and failed ones only when there are some', () => {
    const overall = {
      paused: false,
      total: 10,
      queued: 4,
      active: 1,
      ready: 3,
      skipped: 0,
      failed: 0,
      progress: 0.3,
    };
    expect(formatCounts(overall)).toBe('3 of 10 files');
    expect(formatCounts({ ...overall, skipped: 1, failed: 2 })).toBe('6 of 10 files · 1 skipped · 2 failed');
    expect(formatCounts({ ...overall, total: 1, ready: 0 })).toBe('0 of 1 file');
  });

  it('places a passage by page and heading path', () => {
    expect(passageLocation({ page: 4, headingPath: ['Setup', 'Install'] })).toBe('p. 4 · Setup › Install');
    expect(passageLocation({ headingPath: [] })).toBe('');
  });

  it('tells when a document was indexed, relative while recent', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(formatIndexedAt('2026-01-10T11:59:30Z', now)).toBe('just now');
    expect(formatIndexedAt('2026-01-10T11:15:00Z', now)).toBe('45 min ago');
    expect(formatIndexedAt('2026-01-10T09:00:00Z', now)).toBe('3 h ago');
    expect(formatIndexedAt('not a date', now)).toBe('');
  });

  it('shows scores of every mode with digits that compare', () => {
    expect(formatScore(0.0327)).toBe('0.033');
    expect(formatScore(0.8123)).toBe('0.81');
    expect(formatScore(12.345)).toBe('12.3');
  });
});
