import { describe, expect, it } from 'vitest';
import { highlightPassage, matchRanges, normalizeRanges, queryTerms, segmentText } from './highlight.js';

describe('highlighting a passage', () => {
  it('marks each word of the query, case-insensitively, and leaves the rest as plain text', () => {
    const segments = highlightPassage('The Fox found a lantern by the river.', 'fox lantern');
    expect(segments).toEqual([
      { text: 'The ', match: false },
      { text: 'Fox', match: true },
      { text: ' found a ', match: false },
      { text: 'lantern', match: true },
      { text: ' by the river.', match: false },
    ]);
  });

  it('marks longer forms of a word (lantern -> lanterns) but not words that merely contain it', () => {
    const text = 'lanterns and a chandelier-lantern; antlantern';
    const marked = matchRanges(text, 'lantern').map(([start, end]) => text.slice(start, end));
    expect(marked).toEqual(['lanterns', 'lantern']);
  });

  it('keeps markup in document text as text: segments are strings, never parsed', () => {
    const text = '<img src=x onerror=alert(1)> fox';
    const segments = highlightPassage(text, 'fox');
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(segments.at(-1)).toEqual({ text: 'fox', match: true });
  });

  it("uses the core's ranges when given, clipped to the text and merged where they overlap", () => {
    expect(
      normalizeRanges(
        [
          [8, 12],
          [0, 3],
          [2, 5],
          [40, 50],
          [6, 6],
        ],
        10,
      ),
    ).toEqual([
      [0, 5],
      [8, 10],
    ]);
    expect(
      segmentText('abcdefghij', [
        [8, 12],
        [0, 3],
        [2, 5],
      ]),
    ).toEqual([
      { text: 'abcde', match: true },
      { text: 'fgh', match: false },
      { text: 'ij', match: true },
    ]);
    expect(highlightPassage('one two', 'one', [[4, 7]])).toEqual([
      { text: 'one ', match: false },
      { text: 'two', match: true },
    ]);
  });

  it('handles letters beyond ASCII and ignores punctuation and one-letter words in the query', () => {
    expect(queryTerms('Über, a   über! "Straße"')).toEqual(['über', 'straße']);
    const text = 'Die Straße über dem Fluss';
    expect(matchRanges(text, 'straße').map(([s, e]) => text.slice(s, e))).toEqual(['Straße']);
    expect(highlightPassage('nothing here', '')).toEqual([{ text: 'nothing here', match: false }]);
    expect(highlightPassage('', 'fox')).toEqual([{ text: '', match: false }]);
  });
});
