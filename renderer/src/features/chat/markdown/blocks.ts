/**
 * Splits streamed Markdown into blocks that can no longer change and one open tail, so a growing
 * answer parses each finished block once and re-parses only its last block per update.
 *
 * A block ends at a blank line that is outside a code fence and followed by a line that starts in
 * column one (an indented line may continue a list item or an indented code block). The splitter
 * only ever looks at text after the last finished block, so an answer of n characters costs O(n)
 * over its whole stream, not O(n) per token.
 */

/** A fence opener or closer: three or more backticks or tildes, indented at most three spaces. */
const fencePattern = /^ {0,3}(`{3,}|~{3,})/;

export interface SplitState {
  /** Finished blocks' sources, in order. */
  readonly finished: string[];
  /** Characters of the text covered by `finished`. */
  committed: number;
}

export function newSplitState(): SplitState {
  return { finished: [], committed: 0 };
}

/**
 * Moves every block of `text` after `state.committed` that is certainly finished into
 * `state.finished`, and returns the open tail (possibly empty). `text` must extend the text
 * the state has seen so far.
 */
export function advance(state: SplitState, text: string): string {
  const tail = text.slice(state.committed);
  let fence: string | null = null;
  let blockStart = 0;
  let previousBlank = false;
  let lineStart = 0;
  while (lineStart < tail.length) {
    const newline = tail.indexOf('\n', lineStart);
    const complete = newline !== -1;
    const line = tail.slice(lineStart, complete ? newline : tail.length);
    const blank = line.trim() === '';
    if (fence !== null) {
      const match = fencePattern.exec(line);
      if (
        complete &&
        match?.[1] &&
        match[1][0] === fence[0] &&
        match[1].length >= fence.length &&
        line.trim() === match[1]
      ) {
        fence = null;
      }
    } else {
      // A line's first character is enough to know that it starts a new block, even while it grows.
      if (previousBlank && !blank && !/^\s/.test(line) && lineStart > blockStart) {
        state.finished.push(tail.slice(blockStart, lineStart));
        blockStart = lineStart;
      }
      const match = fencePattern.exec(line);
      // The last line may still be growing: it opens a fence only once it is complete.
      if (complete && match?.[1]) fence = match[1];
    }
    if (!complete) break;
    previousBlank = blank && fence === null;
    lineStart = newline + 1;
  }
  state.committed += blockStart;
  return tail.slice(blockStart);
}
