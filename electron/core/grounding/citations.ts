/**
 * Citations in a grounded answer: the model writes [n] (or [n, m], [n][m], [n-m]) after a claim.
 * Only numbers that match a source given for this answer count; any other number is dropped, so
 * a made-up [9] can never link to a wrong passage.
 */

/** [1], [1, 2], [1,2,3], [2-4] (ranges up to 20 wide); not [a], not [1.5], not markdown links. */
const CITATION = /\[(\d{1,4}(?:\s*(?:,|-|–)\s*\d{1,4})*)\](?!\()/g;

/** Every number inside the bracket groups of `text`, in order of first use, no repeats. */
export function citedNumbers(text: string): number[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(CITATION)) {
    for (const part of match[1]!.split(/\s*,\s*/)) {
      const range = part.split(/\s*[-–]\s*/).map(Number);
      const [from, to] = [range[0]!, range[1] ?? range[0]!];
      if (to < from || to - from > 20) continue;
      for (let n = from; n <= to; n++) seen.add(n);
    }
  }
  return [...seen];
}

/** The [n] numbers of `text` that match a source's number, in order of first use. */
export function parseCitations(text: string, sources: ReadonlyArray<{ n: number }>): number[] {
  const known = new Set(sources.map((s) => s.n));
  return citedNumbers(text).filter((n) => known.has(n));
}
