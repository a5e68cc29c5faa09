/** Words for the passage view of a citation: where a source is, and which of its words to mark. */
import type { GroundingSource } from '../../../../electron/common/api/contract.js';
import { matchRanges, type Range } from '../library/highlight.js';

/** "p. 4 · Setup › Install", the heading path alone, or ''. */
export function sourceLocation(source: Pick<GroundingSource, 'page' | 'headingPath'>): string {
  const parts: string[] = [];
  if (source.page !== undefined) parts.push(`p. ${source.page}`);
  if (source.headingPath.length > 0) parts.push(source.headingPath.join(' › '));
  return parts.join(' · ');
}

/** The short form for a list: the page and the nearest heading only ("p. 4 · Install"). */
export function sourcePlace(source: Pick<GroundingSource, 'page' | 'headingPath'>): string {
  const nearest = source.headingPath.at(-1);
  return sourceLocation({
    ...(source.page !== undefined ? { page: source.page } : {}),
    headingPath: nearest ? [nearest] : [],
  });
}

/** Short, common words that would mark half of any passage. */
const common = new Set(
  (
    'the and for are but not you all any can had her was one our out has him his how its may new now ' +
    'old see two who did get let put say she too use that with have this will your from they been were ' +
    'what when which their there than then them these those some into also more most such only other ' +
    'about would could should after before where while does each very just over under'
  ).split(' '),
);

/**
 * The words of the answer's sentence that cites a source, as they appear in the passage: so the
 * passage view marks what the claim was taken from. `claim` is the answer's text up to the chip.
 */
export function claimRanges(passage: string, claim: string): Range[] {
  // The sentence that ends at the chip: after the last full stop (or line break) before it.
  const sentence =
    claim
      .trim()
      .split(/(?<=[.!?])\s+|\n/)
      .at(-1) ?? claim;
  return wordRanges(passage, sentence);
}

/** Where the telling words of `text` (not the common short ones) occur in the passage. */
export function wordRanges(passage: string, text: string): Range[] {
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)]
    .map(([word]) => word.toLocaleLowerCase())
    .filter((word) => (word.length >= 3 || /^\d+$/.test(word)) && !common.has(word));
  return words.length > 0 ? matchRanges(passage, words.join(' ')) : [];
}

/** The answer's text before a chip, as shown (for claimRanges). */
export function textBefore(chip: Element, root: Element | null): string {
  const block = chip.closest('p, li, td, blockquote, h1, h2, h3, h4, h5, h6') ?? root;
  if (!block) return '';
  const range = document.createRange();
  range.selectNodeContents(block);
  range.setEndBefore(chip);
  return range.toString();
}
