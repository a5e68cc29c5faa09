/** Builds a document's extracted text block by block, recording each block's offsets. */
import type { Block, BlockType, DocumentKind, ExtractedDocument } from './types.js';

export class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  readonly blocks: Block[] = [];

  /** Adds one block (whitespace-trimmed; empty text is ignored), separated by a blank line. */
  add(type: BlockType, text: string, extra: { level?: number; page?: number } = {}): void {
    const clean = text.replace(/[ \t\f\v\r]+\n/g, '\n').trim();
    if (!clean) return;
    if (this.length > 0) {
      this.parts.push('\n\n');
      this.length += 2;
    }
    const start = this.length;
    this.parts.push(clean);
    this.length += clean.length;
    this.blocks.push({ type, start, end: this.length, ...extra });
  }

  get size(): number {
    return this.length;
  }

  build(kind: DocumentKind, extra: { pageCount?: number; note?: string } = {}): ExtractedDocument {
    return { kind, text: this.parts.join(''), blocks: this.blocks, ...extra };
  }
}
