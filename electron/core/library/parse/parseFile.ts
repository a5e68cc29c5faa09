/**
 * One file in, extracted text and structure out, or a clear reason why not. Runs inside the
 * parse worker; nothing here throws for a bad file: every problem becomes a ParseResult.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { sniff, textKind, zipKind } from './detectType.js';
import { epub } from './formats/epub.js';
import { docx, odt, pptx, xlsx } from './formats/office.js';
import { htmlMainContent } from './formats/html.js';
import { pdf } from './formats/pdf.js';
import { code, csv, json, markdown, plainText } from './formats/textual.js';
import { CappedZip } from './formats/zip.js';
import { readTextFile } from './readText.js';
import { TextBuilder } from './TextBuilder.js';
import {
  ParseProblemError,
  type DocumentKind,
  type ExtractedDocument,
  type ParseLimits,
  type ParseResult,
} from './types.js';

const SAMPLE_BYTES = 64 * 1024;

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found (moved or deleted)';
    case 'EACCES':
    case 'EPERM':
      return 'no permission to read the file';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder, not a file';
    default:
      return `cannot read the file: ${(error as Error).message}`;
  }
}

export async function parseFile(
  path: string,
  name: string,
  limits: ParseLimits,
  signal?: AbortSignal,
): Promise<ParseResult> {
  try {
    return { ok: true, document: await extract(path, name, limits, signal) };
  } catch (error) {
    if (error instanceof ParseProblemError)
      return { ok: false, outcome: error.outcome, reason: error.message };
    if ((error as NodeJS.ErrnoException).code)
      return { ok: false, outcome: 'failed', reason: describeFsError(error) };
    return { ok: false, outcome: 'failed', reason: `could not parse: ${(error as Error).message}` };
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function extract(
  path: string,
  name: string,
  limits: ParseLimits,
  signal?: AbortSignal,
): Promise<ExtractedDocument> {
  const info = await stat(path);
  if (info.isDirectory()) throw new ParseProblemError('skipped', 'is a folder, not a file');
  if (!info.isFile()) throw new ParseProblemError('skipped', 'not a regular file');
  if (info.size === 0) throw new ParseProblemError('skipped', 'empty file (0 bytes)');
  const head = await readHead(path);
  const sniffed = sniff(head);
  const out = new TextBuilder();

  if (sniffed.family === 'binary') throw new ParseProblemError('skipped', `not a document: ${sniffed.what}`);
  if (sniffed.family === 'text') return extractText(path, name, head, limits, out, signal);

  if (info.size > limits.maxBinaryBytes) {
    throw new ParseProblemError('skipped', `file too large (${Math.round(info.size / 1024 / 1024)} MB)`);
  }
  const data = new Uint8Array(await readFile(path, { signal }));
  if (sniffed.family === 'pdf') {
    const { pageCount } = await pdf(data, out);
    return finish(out.build('pdf', { pageCount }));
  }
  const zip = await CappedZip.open(data, limits.maxUnzippedBytes);
  const kind = zipKind(zip.entries, await zip.text('mimetype'));
  try {
    return await extractZipped(kind, zip, data, name, out);
  } catch (error) {
    if (error instanceof ParseProblemError || !kind) throw error;
    throw new ParseProblemError('failed', `corrupt ${kind.toUpperCase()} file: ${(error as Error).message}`);
  }
}

async function extractZipped(
  kind: DocumentKind | undefined,
  zip: CappedZip,
  data: Uint8Array,
  name: string,
  out: TextBuilder,
): Promise<ExtractedDocument> {
  switch (kind) {
    case 'docx':
      await docx(zip, data, out);
      return finish(out.build('docx'));
    case 'pptx': {
      const { pageCount } = await pptx(zip, out);
      return finish(out.build('pptx', { pageCount }));
    }
    case 'xlsx':
      await xlsx(zip, out);
      return finish(out.build('xlsx'));
    case 'odt':
      await odt(zip, out);
      return finish(out.build('odt'));
    case 'epub':
      await epub(zip, out);
      return finish(out.build('epub'));
    default:
      throw new ParseProblemError(
        'skipped',
        `not a document: a zip archive (${extname(name) || 'no extension'})`,
      );
  }
}

async function extractText(
  path: string,
  name: string,
  head: Uint8Array,
  limits: ParseLimits,
  out: TextBuilder,
  signal?: AbortSignal,
): Promise<ExtractedDocument> {
  const { text, truncated, encoding } = await readTextFile(path, head, limits.maxTextChars, signal);
  const kind = textKind(name, text.slice(0, 1000));
  switch (kind) {
    case 'markdown':
      markdown(text, out);
      break;
    case 'html':
      htmlMainContent(text, out);
      break;
    case 'csv':
      csv(text, out, extname(name).toLowerCase() === '.tsv' ? '\t' : ',');
      break;
    case 'json':
      json(text, out);
      break;
    case 'code':
      code(text, out);
      break;
    default:
      plainText(text, out);
  }
  const note = truncated
    ? `indexed the first ${limits.maxTextChars.toLocaleString('en')} characters (the text limit); the rest was left out`
    : undefined;
  void encoding;
  return finish(out.build(kind, note ? { note } : {}));
}

function finish(document: ExtractedDocument): ExtractedDocument {
  if (document.text.trim() === '') throw new ParseProblemError('skipped', 'no text found in the file');
  return document;
}
