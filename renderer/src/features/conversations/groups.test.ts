import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../../electron/common/api/contract.js';
import { dayGroup, sidebarRows, snippetParts, visibleRange } from './groups.js';

const now = new Date(2026, 10, 27, 15, 0).getTime();
const hours = (n: number) => n * 60 * 60 * 1000;

function summary(id: string, updatedAt: number, pinned = false): ConversationSummary {
  return {
    id,
    title: id,
    createdAt: updatedAt,
    updatedAt,
    pinned,
    deletedAt: null,
    messageCount: 2,
    presetId: null,
    modelId: null,
  };
}

describe('sidebar rows', () => {
  it('names days the way people say them', () => {
    expect(dayGroup(now - hours(1), now)).toBe('Today');
    expect(dayGroup(now - hours(20), now)).toBe('Yesterday');
    expect(dayGroup(now - hours(24 * 4), now)).toBe('Previous 7 days');
    expect(dayGroup(now - hours(24 * 20), now)).toBe('Previous 30 days');
    expect(dayGroup(new Date(2026, 0, 3).getTime(), now)).toBe('January 2026');
  });

  it('puts pinned conversations first, then the rest newest first under headings', () => {
    const rows = sidebarRows(
      [
        summary('old', now - hours(24 * 3)),
        summary('new', now - hours(1)),
        summary('pinned', now - hours(24 * 90), true),
        summary('yesterday', now - hours(20)),
        summary('newer', now - hours(0.5)),
      ],
      now,
    );
    expect(rows.map((row) => (row.kind === 'heading' ? `# ${row.label}` : row.conversation.id))).toEqual([
      '# Pinned',
      'pinned',
      '# Today',
      'newer',
      'new',
      '# Yesterday',
      'yesterday',
      '# Previous 7 days',
      'old',
    ]);
  });

  it('windows 10,000 conversations to the few rows in view', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => summary(`c${i}`, now - i * 60_000));
    const rows = sidebarRows(many, now);
    const range = visibleRange(rows.length, 32, 32 * 5_000, 640);
    expect(range.end - range.start).toBeLessThanOrEqual(40);
    expect(range.start).toBe(5_000 - 8);
    expect(visibleRange(rows.length, 32, 0, 640).start).toBe(0);
    expect(visibleRange(3, 32, 0, 640).end).toBe(3);
  });
});

describe('search snippets', () => {
  it('marks the matched words and ignores ranges that make no sense', () => {
    expect(
      snippetParts('the quick fox', [
        [4, 9],
        [2, 3],
        [10, 99],
      ]),
    ).toEqual([
      { text: 'the ', match: false },
      { text: 'quick', match: true },
      { text: ' fox', match: false },
    ]);
  });
});
