/** Reciprocal-rank fusion: each list adds 1 / (k + rank) for every item it ranks. */
export function reciprocalRankFusion<T>(
  lists: ReadonlyArray<readonly T[]>,
  key: (item: T) => string,
  k = 60,
): Array<{ item: T; score: number }> {
  const fused = new Map<string, { item: T; score: number }>();
  for (const list of lists) {
    list.forEach((item, rank) => {
      const id = key(item);
      const entry = fused.get(id) ?? { item, score: 0 };
      entry.score += 1 / (k + rank + 1);
      fused.set(id, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

/** [start, end) ranges in `text` where a word of the query occurs (case-insensitive). */
export function highlightRanges(text: string, query: string): Array<[number, number]> {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])];
  if (words.length === 0) return [];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu');
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(pattern)) {
    ranges.push([match.index, match.index + match[0].length]);
    if (ranges.length >= 200) break;
  }
  return ranges;
}
