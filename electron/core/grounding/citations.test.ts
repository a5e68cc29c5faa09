// Citations: only [n] that match a source count, in order of first use; anything else is dropped.
import { describe, expect, it } from 'vitest';
import { citedNumbers, parseCitations } from './citations.js';

const sources = [{ n: 1 }, { n: 2 }, { n: 3 }];

describe('citations in an answer', () => {
  it('reads [n], [n, m], [n][m] and ranges, in order of first use, without repeats', () => {
    expect(citedNumbers('Due in March [2]. Sent by Marlowe [1, 3][2]. Both [1-3].')).toEqual([2, 1, 3]);
  });

  it('drops numbers that match no source, never mapping them to another one', () => {
    expect(parseCitations('True [1]. Made up [7]. Also [0] and [2,9].', sources)).toEqual([1, 2]);
    expect(parseCitations('Nothing cited.', sources)).toEqual([]);
    expect(parseCitations('Cites [1].', [])).toEqual([]);
  });

  it('ignores brackets that are not citations: links, words, decimals, huge ranges', () => {
    expect(citedNumbers('[2](http://x) [a] [1.5] [1-900] [ 3 ]')).toEqual([]);
  });
});
