/**
 * The labelled retrieval set (bench/eval/retrieval): documents in docs/ and questions.json, where
 * every question quotes the passage(s) that answer it verbatim from the document's extracted text.
 * Loading validates the file's shape; `locatePassages` turns quotes into character ranges of the
 * extracted text, the same offsets the library's chunks carry.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { parseFile } from '../../../electron/core/library/parse/parseFile.js';
import { DEFAULT_PARSE_LIMITS, type ExtractedDocument } from '../../../electron/core/library/parse/types.js';

export const QUESTION_TYPES = ['lexical', 'paraphrase', 'multilingual', 'two-passage'] as const;
export const QuestionType = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof QuestionType>;

const Quote = z.object({
  /** A file name in docs/. */
  document: z.string().min(1),
  /** The answering passage, verbatim from the document's extracted text. */
  text: z.string().min(10),
});

export const EvalQuestion = z
  .object({
    id: z.string().regex(/^q\d{3,}$/),
    type: QuestionType,
    /** BCP 47 language of the question. */
    language: z.string().min(2).max(8),
    question: z.string().min(8),
    /** The documents holding the answer, in the order of the passages. */
    documents: z.array(z.string().min(1)).min(1),
    passages: z.array(Quote).min(1),
  })
  .strict();
export type EvalQuestion = z.infer<typeof EvalQuestion>;

export const EvalSetFile = z
  .object({
    description: z.string(),
    /** The language of every document not listed in documentLanguages. */
    defaultLanguage: z.string().min(2),
    documentLanguages: z.record(z.string(), z.string().min(2)),
    questions: z.array(EvalQuestion),
  })
  .strict();

export interface EvalSet {
  dir: string;
  docsDir: string;
  /** File names in docs/, sorted. */
  documents: string[];
  questions: EvalQuestion[];
  languageOf(document: string): string;
}

/** The set's folder inside the repository. */
export function evalSetDir(root: string): string {
  return join(root, 'bench', 'eval', 'retrieval');
}

export async function loadEvalSet(dir: string): Promise<EvalSet> {
  const file = EvalSetFile.parse(JSON.parse(await readFile(join(dir, 'questions.json'), 'utf8')));
  const docsDir = join(dir, 'docs');
  const documents = (await readdir(docsDir, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  return {
    dir,
    docsDir,
    documents,
    questions: file.questions,
    languageOf: (document) => file.documentLanguages[document] ?? file.defaultLanguage,
  };
}

/** Each document's extracted text, by the library's own parser (what the index chunks). */
export async function extractDocuments(set: EvalSet): Promise<Map<string, ExtractedDocument>> {
  const extracted = new Map<string, ExtractedDocument>();
  for (const name of set.documents) {
    const result = await parseFile(join(set.docsDir, name), basename(name), DEFAULT_PARSE_LIMITS);
    if (!result.ok) throw new Error(`${name} could not be parsed: ${result.reason}`);
    extracted.set(name, result.document);
  }
  return extracted;
}

/** An answering passage as a [start, end) range of its document's extracted text. */
export interface PassageRange {
  document: string;
  start: number;
  end: number;
}

/** Every occurrence of `quote` in `text` (case-sensitive, verbatim). */
export function occurrences(text: string, quote: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) found.push(at);
  return found;
}

/** The question's passages as ranges; throws when a quote is missing or ambiguous. */
export function locatePassages(question: EvalQuestion, texts: ReadonlyMap<string, string>): PassageRange[] {
  return question.passages.map(({ document, text: quote }) => {
    const text = texts.get(document);
    if (text === undefined) throw new Error(`${question.id}: no document ${document}`);
    const at = occurrences(text, quote);
    if (at.length !== 1) {
      throw new Error(
        `${question.id}: the passage occurs ${at.length} times in ${document}'s extracted text: "${quote}"`,
      );
    }
    return { document, start: at[0]!, end: at[0]! + quote.length };
  });
}
