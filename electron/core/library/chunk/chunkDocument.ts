/**
 * Structure-aware chunking. Blocks (paragraphs, list items, code, table rows) are packed into
 * chunks of at most `maxTokens` embedding-model tokens; a heading or a new page always starts a
 * new chunk, and each chunk remembers the headings above it. Chunks cut for size overlap their
 * neighbour by whole blocks (or, inside one huge block, by characters) up to `overlapTokens`.
 * A chunk is one contiguous span of the extracted text, so its offsets point at the exact passage.
 */
import type { Block, ExtractedDocument } from '../parse/types.js';

export interface Chunk {
  text: string;
  charStart: number;
  charEnd: number;
  headingPath: string[];
  page?: number;
}

export interface ChunkOptions {
  maxTokens: number;
  overlapTokens: number;
  /** Tokens of a piece of text in the embedding model's vocabulary. */
  countTokens(text: string): number;
}

interface Piece {
  start: number;
  end: number;
  tokens: number;
  page?: number;
  heading?: boolean;
}

/**
 * Async only to yield to the event loop every few hundred blocks: tokenizing a long book is
 * synchronous native work, and the main process must keep answering meanwhile.
 */
export async function chunkDocument(document: ExtractedDocument, options: ChunkOptions): Promise<Chunk[]> {
  const { text } = document;
  const chunks: Chunk[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  let current: Piece[] = [];
  let currentTokens = 0;

  const emit = (pieces: Piece[]) => {
    if (pieces.length === 0) return;
    const first = pieces[0]!;
    const charStart = first.start;
    const charEnd = pieces[pieces.length - 1]!.end;
    chunks.push({
      text: text.slice(charStart, charEnd),
      charStart,
      charEnd,
      headingPath: headings.map((h) => h.text),
      ...(first.page !== undefined ? { page: first.page } : {}),
    });
  };
  const flush = (withOverlap: boolean) => {
    emit(current);
    if (!withOverlap) {
      current = [];
      currentTokens = 0;
      return;
    }
    // Carry the tail blocks that fit in the overlap into the next chunk.
    const carried: Piece[] = [];
    let tokens = 0;
    for (let i = current.length - 1; i > 0; i--) {
      const piece = current[i]!;
      if (tokens + piece.tokens > options.overlapTokens) break;
      carried.unshift(piece);
      tokens += piece.tokens;
    }
    current = carried;
    currentTokens = tokens;
  };

  for (const [blockIndex, block] of document.blocks.entries()) {
    if (blockIndex % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    if (current.length > 0 && current[0]!.page !== block.page) flush(false);
    if (block.type === 'heading') {
      // Headings with nothing under them yet (a title right above a section) live on in the
      // heading path of the chunks that follow; they are not a passage of their own.
      if (current.every((piece) => piece.heading)) {
        current = [];
        currentTokens = 0;
      }
      flush(false);
      while (headings.length > 0 && headings[headings.length - 1]!.level >= (block.level ?? 1))
        headings.pop();
      headings.push({
        level: block.level ?? 1,
        text: text.slice(block.start, block.end).replace(/\s+/g, ' '),
      });
    }
    for (const piece of splitBlock(text, block, options)) {
      if (block.type === 'heading') piece.heading = true;
      if (currentTokens + piece.tokens > options.maxTokens && current.length > 0) flush(true);
      // The overlap alone may leave no room for this piece.
      if (currentTokens + piece.tokens > options.maxTokens && current.length > 0) flush(false);
      current.push(piece);
      currentTokens += piece.tokens;
    }
  }
  flush(false);
  return chunks;
}

/** A block as pieces of at most maxTokens; a huge block is cut near whitespace, overlapping a little. */
function splitBlock(text: string, block: Block, options: ChunkOptions): Piece[] {
  const tokens = options.countTokens(text.slice(block.start, block.end));
  const page = block.page;
  if (tokens <= options.maxTokens) return [{ start: block.start, end: block.end, tokens, page }];
  const charsPerToken = (block.end - block.start) / tokens;
  const size = Math.max(16, Math.floor(options.maxTokens * charsPerToken * 0.9));
  const overlap = Math.min(Math.floor(options.overlapTokens * charsPerToken), Math.floor(size / 2));
  const pieces: Piece[] = [];
  let start = block.start;
  while (start < block.end) {
    let end = Math.min(block.end, start + size);
    if (end < block.end) {
      const window = text.slice(start + Math.floor(size / 2), end);
      const cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('\n'), window.lastIndexOf(' '));
      if (cut > 0) end = start + Math.floor(size / 2) + cut + 1;
    }
    let pieceTokens = options.countTokens(text.slice(start, end));
    while (pieceTokens > options.maxTokens && end - start > 16) {
      end = start + Math.floor((end - start) * 0.8);
      pieceTokens = options.countTokens(text.slice(start, end));
    }
    pieces.push({ start, end, tokens: pieceTokens, page });
    if (end >= block.end) break;
    start = Math.max(start + 1, end - overlap);
  }
  return pieces;
}
