/**
 * Decides a file's format from its first bytes (magic numbers, zip entries), using the extension
 * only to tell text formats apart (Markdown, CSV, code) once the content is known to be text.
 */
import { extname } from 'node:path';
import type { DocumentKind } from './types.js';

export type Sniffed =
  { family: 'pdf' } | { family: 'zip' } | { family: 'text' } | { family: 'binary'; what: string };

const MAGIC: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable (ELF)'],
  [[0x4d, 0x5a], 'an executable (PE)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7z archive'],
  [[0x47, 0x47, 0x55, 0x46], 'a GGUF model'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'a legacy Office file (.doc/.xls/.ppt), which is not supported'],
  [[0x49, 0x44, 0x33], 'an MP3 audio file'],
  [[0x00, 0x00, 0x00], 'a media or binary file'],
];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((byte, i) => bytes[at + i] === byte);
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
}

/** True when the sample looks like binary data rather than text in some encoding. */
export function looksBinary(sample: Uint8Array): boolean {
  if (hasUtf16Bom(sample)) return false;
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.05;
}

export function sniff(head: Uint8Array): Sniffed {
  // %PDF may follow a little junk; readers accept it within the first KB.
  const ascii = Buffer.from(head.subarray(0, 1024)).toString('latin1');
  if (ascii.startsWith('%PDF-') || ascii.indexOf('%PDF-') >= 0) return { family: 'pdf' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { family: 'zip' };
  if (!hasUtf16Bom(head)) {
    for (const [magic, what] of MAGIC) if (startsWith(head, magic)) return { family: 'binary', what };
  }
  if (looksBinary(head.subarray(0, 64 * 1024))) return { family: 'binary', what: 'binary data, not text' };
  return { family: 'text' };
}

/** Zip-based formats, from the entries the archive holds. */
export function zipKind(
  entries: ReadonlySet<string>,
  mimetype: string | undefined,
): DocumentKind | undefined {
  if (entries.has('word/document.xml')) return 'docx';
  if (entries.has('ppt/presentation.xml')) return 'pptx';
  if (entries.has('xl/workbook.xml')) return 'xlsx';
  const mime = mimetype?.trim();
  if (mime === 'application/vnd.oasis.opendocument.text') return 'odt';
  if (mime === 'application/epub+zip') return 'epub';
  return undefined;
}

const CODE_EXTENSIONS = new Set(
  (
    'ts tsx js jsx mjs cjs py rb go rs java kt kts scala c h cc cpp cxx hpp hh cs swift m mm php pl pm lua r ' +
    'sh bash zsh fish ps1 sql yaml yml toml ini cfg conf xml svelte vue css scss less dart ex exs erl hs ml ' +
    'clj el vim zig nim jl f90 gradle cmake make mk dockerfile proto graphql tf'
  ).split(' '),
);

/** A text file's flavour, from its extension and (for HTML and JSON) its first characters. */
export function textKind(fileName: string, head: string): DocumentKind {
  const ext = extname(fileName).slice(1).toLowerCase();
  const base = fileName.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'mdx') return 'markdown';
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson') return 'json';
  if (ext === 'html' || ext === 'htm' || ext === 'xhtml') return 'html';
  if (CODE_EXTENSIONS.has(ext) || base === 'makefile' || base === 'dockerfile') return 'code';
  const start = head.trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  return 'text';
}
