/**
 * Highlighting a passage without ever treating document text as markup: the passage is cut into plain
 * text segments, each marked or not, and the view renders each one as text (`<mark>` for matches).
 */

/** A half-open range [start, end) of UTF-16 code units into a passage's text. */
export type Range = readonly [start: number, end: number];

export interface Segment {
  text: string;
  match: boolean;
}

const wordPattern = /[\p{L}\p{N}]+/gu;

/** The query's words, lower-cased, without duplicates; one-letter words match too much to help. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const [word] of query.matchAll(wordPattern)) {
    if (word.length >= 2) terms.add(word.toLocaleLowerCase());
  }
  return [...terms];
}

/**
 * Where the query's words occur in the text: whole words, or words that start with a term of three or
 * more letters (so "lantern" also marks "lanterns", as the full-text index's stemming would match).
 */
export function matchRanges(text: string, query: string): Range[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const ranges: Range[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const word = match[0].toLocaleLowerCase();
    const hit = terms.some((term) => word === term || (term.length >= 3 && word.startsWith(term)));
    if (hit) ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

/** Sorts, clips and merges ranges so that segments never overlap or fall outside the text. */
export function normalizeRanges(ranges: readonly Range[], length: number): Range[] {
  const clipped = ranges
    .map(([start, end]): Range => [Math.max(0, Math.min(start, length)), Math.max(0, Math.min(end, length))])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of clipped) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The text cut into alternating plain and matched segments, in order, covering all of it. */
export function segmentText(text: string, ranges: readonly Range[]): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const [start, end] of normalizeRanges(ranges, text.length)) {
    if (start > at) segments.push({ text: text.slice(at, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), match: false });
  return segments;
}

/** The segments for a search result: the core's own ranges when it sent some, else the query's words. */
export function highlightPassage(text: string, query: string, ranges?: readonly Range[]): Segment[] {
  return segmentText(text, ranges && ranges.length > 0 ? ranges : matchRanges(text, query));
}
