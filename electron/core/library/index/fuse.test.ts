import { describe, expect, it } from 'vitest';
import { highlightRanges, reciprocalRankFusion } from './fuse.js';

describe('reciprocalRankFusion', () => {
  it('ranks items found by both lists above items found by one', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'd'],
      ],
      (x) => x,
    );
    expect(fused.map((f) => f.item)).toEqual(['c', 'a', 'b', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 1 / 61, 10);
  });
});

describe('highlightRanges', () => {
  it('marks query words (any case, word prefixes) in the text', () => {
    const text = 'Otters and otter-like animals; an otterhound is not one.';
    expect(highlightRanges(text, 'otter').map(([s, e]) => text.slice(s, e))).toEqual([
      'Otters',
      'otter',
      'otterhound',
    ]);
    expect(highlightRanges(text, '')).toEqual([]);
  });
});
