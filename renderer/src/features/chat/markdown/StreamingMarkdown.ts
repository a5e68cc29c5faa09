/**
 * Markdown for a message that may still be growing. Finished blocks are rendered once and kept
 * (with stable keys, so their DOM is left alone); only the open last block is rendered again on
 * each update. See blocks.ts for where a block ends.
 */
import { advance, newSplitState, type SplitState } from './blocks.js';
import { renderMarkdown } from './render.js';

export interface RenderedBlock {
  /** Stable for a finished block; the open tail has its own key that changes when it is finished. */
  readonly key: string;
  readonly html: string;
}

/** Characters of already-committed text compared on each update to notice a rewritten message. */
const probeChars = 64;

export class StreamingMarkdown {
  private readonly render: (source: string) => string;
  private state: SplitState = newSplitState();
  private rendered: RenderedBlock[] = [];
  private seen = '';
  private generation = 0;

  constructor(render: (source: string) => string = renderMarkdown) {
    this.render = render;
  }

  /**
   * The blocks for `text`. Cheap when `text` extends the previous text, as a streamed answer does.
   * `final` checks the whole committed prefix instead of a probe (once, when the answer is done).
   */
  update(text: string, final = false): RenderedBlock[] {
    if (!this.extendsSeen(text, final)) this.restart();
    this.seen = text;
    const tail = advance(this.state, text);
    for (let index = this.rendered.length; index < this.state.finished.length; index += 1) {
      const source = this.state.finished[index] ?? '';
      this.rendered.push({ key: `${this.generation}:${index}`, html: this.render(source) });
    }
    if (!tail.trim()) return this.rendered.slice();
    const open: RenderedBlock = {
      key: `${this.generation}:${this.state.finished.length}:open`,
      html: this.render(tail),
    };
    return [...this.rendered, open];
  }

  /** How many blocks have been rendered for good (for tests and the benchmark). */
  get finishedCount(): number {
    return this.rendered.length;
  }

  private extendsSeen(text: string, final: boolean): boolean {
    const committed = this.state.committed;
    if (text.length < committed || text.length < this.seen.length) return false;
    if (final) return text.startsWith(this.seen.slice(0, committed));
    // A streamed answer only grows; a cheap probe near the end of the committed text catches the
    // rare rewrite (the core's final text replacing the deltas) without rescanning the whole message.
    const from = Math.max(0, committed - probeChars);
    return text.slice(from, committed) === this.seen.slice(from, committed);
  }

  private restart(): void {
    this.state = newSplitState();
    this.rendered = [];
    this.generation += 1;
  }
}
