/**
 * Windowing for the message list: which messages to put in the DOM for a scroll position, when
 * messages have different heights. Heights measured on screen are used where known, an estimate
 * (the mean of the measured ones) elsewhere; spacers above and below stand in for the rest, so
 * the scrollbar keeps the whole conversation's length. Pure functions, no DOM.
 */

export interface WindowInput {
  /** Height of each message in order: measured, or undefined where not yet measured. */
  heights: readonly (number | undefined)[];
  /** Space between two messages. */
  gap: number;
  scrollTop: number;
  viewportHeight: number;
  /** Extra pixels rendered above and below the viewport, so fast scrolling shows no blank. */
  overscan: number;
  /** Pin the window to the end (following a streaming answer), whatever scrollTop says. */
  atEnd?: boolean;
  /** An index that must stay rendered (the message holding keyboard focus), if near the window. */
  keep?: number;
  /**
   * When the window reaches the end, at least this many last messages are rendered however tall
   * they are: the latest exchange stays in the DOM (and readable by a screen reader) while a long
   * answer streams in.
   */
  keepLast?: number;
}

export interface WindowRange {
  /** First rendered index. */
  start: number;
  /** One past the last rendered index. */
  end: number;
  /** Height of the spacer standing in for messages [0, start). */
  before: number;
  /** Height of the spacer standing in for messages [end, count). */
  after: number;
  /** The whole list's estimated height. */
  total: number;
}

/** Messages rendered beyond the window to keep a focused one mounted (farther, focus is let go). */
export const KEEP_LIMIT = 50;

export const DEFAULT_ESTIMATE = 160;

/** The mean of the measured heights, or the default when none is measured yet. */
export function estimateHeight(heights: readonly (number | undefined)[]): number {
  let sum = 0;
  let count = 0;
  for (const height of heights) {
    if (height !== undefined) {
      sum += height;
      count++;
    }
  }
  return count ? sum / count : DEFAULT_ESTIMATE;
}

/** Offsets of each message's top edge, plus the total height as the last entry. */
export function offsets(heights: readonly (number | undefined)[], gap: number): number[] {
  const estimate = estimateHeight(heights);
  const tops = new Array<number>(heights.length + 1);
  let at = 0;
  for (let i = 0; i < heights.length; i++) {
    tops[i] = at;
    at += (heights[i] ?? estimate) + (i < heights.length - 1 ? gap : 0);
  }
  tops[heights.length] = at;
  return tops;
}

/** The last index whose top is at or above `y` (0 when y is above everything). */
function indexAt(tops: readonly number[], count: number, y: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (tops[middle]! <= y) low = middle;
    else high = middle - 1;
  }
  return Math.max(0, low);
}

export function computeWindow(input: WindowInput): WindowRange {
  const count = input.heights.length;
  if (count === 0) return { start: 0, end: 0, before: 0, after: 0, total: 0 };
  const tops = offsets(input.heights, input.gap);
  const total = tops[count]!;
  const viewport = Math.max(0, input.viewportHeight);
  const maxScroll = Math.max(0, total - viewport);
  const scrollTop = input.atEnd ? maxScroll : Math.min(Math.max(0, input.scrollTop), maxScroll);
  let start = indexAt(tops, count, scrollTop - input.overscan);
  let end = indexAt(tops, count, scrollTop + viewport + input.overscan) + 1;
  if (input.keep !== undefined && input.keep >= 0 && input.keep < count) {
    if (input.keep < start && start - input.keep <= KEEP_LIMIT) start = input.keep;
    if (input.keep >= end && input.keep - end < KEEP_LIMIT) end = input.keep + 1;
  }
  end = Math.min(count, Math.max(end, start + 1));
  if (input.keepLast && end === count) start = Math.min(start, Math.max(0, count - input.keepLast));
  const before = tops[start]!;
  // The spacer after the last rendered message includes the gap that precedes the next one.
  const after = end < count ? total - tops[end]! + input.gap : 0;
  return { start, end, before, after, total };
}
