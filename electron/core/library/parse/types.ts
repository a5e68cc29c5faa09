/** What a parser hands back: the document's extracted text and its structure as offset ranges. */

export type DocumentKind =
  'pdf' | 'docx' | 'pptx' | 'xlsx' | 'odt' | 'epub' | 'html' | 'markdown' | 'text' | 'csv' | 'json' | 'code';

export type BlockType = 'heading' | 'paragraph' | 'list-item' | 'code' | 'table-row';

/** A structural unit of the extracted text: [start, end) character offsets into `text`. */
export interface Block {
  type: BlockType;
  start: number;
  end: number;
  /** Heading level (1 = outermost) for headings. */
  level?: number;
  /** 1-based page (PDF pages, slides) where the format has them. */
  page?: number;
}

export interface ExtractedDocument {
  kind: DocumentKind;
  text: string;
  blocks: Block[];
  pageCount?: number;
  /** Something the user should know although the file was indexed (e.g. cut at the size limit). */
  note?: string;
}

/** A file that could not be indexed, with why: `skipped` (nothing to index) or `failed` (an error). */
export interface ParseProblem {
  outcome: 'skipped' | 'failed';
  reason: string;
}

export type ParseResult = { ok: true; document: ExtractedDocument } | ({ ok: false } & ParseProblem);

export interface ParseLimits {
  /** Characters of text kept from one file; the rest is left out (with a note). */
  maxTextChars: number;
  /** Bytes read of a binary-format file (PDF, office, EPUB); bigger files are skipped. */
  maxBinaryBytes: number;
  /** Total uncompressed bytes a zip-based file may expand to (zip-bomb guard). */
  maxUnzippedBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxTextChars: 20_000_000,
  maxBinaryBytes: 512 * 1024 * 1024,
  maxUnzippedBytes: 256 * 1024 * 1024,
};

/** Thrown inside parsers for a clear per-file outcome; anything else becomes `failed` with its message. */
export class ParseProblemError extends Error {
  constructor(
    readonly outcome: 'skipped' | 'failed',
    reason: string,
  ) {
    super(reason);
    this.name = 'ParseProblemError';
  }
}
