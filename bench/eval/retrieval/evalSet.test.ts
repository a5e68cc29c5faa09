/**
 * The labelled retrieval set is fit to measure with: enough questions and documents of every kind,
 * and every answering passage found exactly once, verbatim, in the text the library's own parser
 * extracts (so the retrieval.quality bench can place it by character offsets).
 */
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedDocument } from '../../../electron/core/library/parse/types.js';
import {
  QUESTION_TYPES,
  evalSetDir,
  extractDocuments,
  loadEvalSet,
  locatePassages,
  occurrences,
  type EvalQuestion,
  type EvalSet,
} from './evalSet.js';
import { reciprocalRankAt, recallAt } from './metrics.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const STOPWORDS = new Set(
  (
    'the a an of to in on for and or is are was were be what which who how when where why does do did can ' +
    'i my me we our us it its this that with by at from as if much many long should get there their they ' +
    'them you your about after before into than then up out over under not no all any each more most per'
  ).split(' '),
);

/** Content words, cut to five letters so "revisions" and "revised" count as one word. */
function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  return new Set(words.filter((w) => w.length > 1 && !STOPWORDS.has(w)).map((w) => w.slice(0, 5)));
}

/** The share of the question's content words that occur in its answering passages. */
function sharedWordShare(question: EvalQuestion): number {
  const asked = contentWords(question.question);
  const passages = contentWords(question.passages.map((p) => p.text).join(' '));
  return [...asked].filter((w) => passages.has(w)).length / Math.max(1, asked.size);
}

describe('the retrieval evaluation set', () => {
  let set: EvalSet;
  let extracted: Map<string, ExtractedDocument>;
  beforeAll(async () => {
    set = await loadEvalSet(evalSetDir(root));
    extracted = await extractDocuments(set);
  });

  it('has at least 200 questions over at least 50 documents, each document asked about', () => {
    expect(set.questions.length).toBeGreaterThanOrEqual(200);
    expect(set.documents.length).toBeGreaterThanOrEqual(50);
    const asked = new Set(set.questions.flatMap((q) => q.documents));
    expect(set.documents.filter((d) => !asked.has(d))).toEqual([]);
  });

  it('holds every question type in meaningful numbers', () => {
    for (const type of QUESTION_TYPES) {
      expect(set.questions.filter((q) => q.type === type).length, type).toBeGreaterThanOrEqual(30);
    }
  });

  it('mixes the formats the library parses, mostly Markdown and plain text', () => {
    const kinds = [...extracted.values()].map((d) => d.kind);
    const count = (kind: string) => kinds.filter((k) => k === kind).length;
    expect(count('markdown') + count('text')).toBeGreaterThan(kinds.length / 2);
    for (const kind of ['html', 'csv', 'json']) expect(count(kind), kind).toBeGreaterThanOrEqual(2);
    expect(new Set(set.documents.map((d) => extname(d))).size).toBeGreaterThanOrEqual(5);
  });

  it('gives every document several blocks of text to chunk', () => {
    for (const [name, document] of extracted) {
      expect(document.text.length, name).toBeGreaterThan(1500);
      expect(document.blocks.length, name).toBeGreaterThanOrEqual(8);
    }
  });

  it('has no duplicate ids or questions', () => {
    const ids = set.questions.map((q) => q.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const texts = set.questions.map((q) => q.question.toLowerCase());
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
  });

  it('names the documents its passages come from, and only files that exist', () => {
    const files = new Set(set.documents);
    for (const q of set.questions) {
      expect(q.documents, q.id).toEqual([...new Set(q.passages.map((p) => p.document))]);
      for (const document of q.documents) expect(files.has(document), `${q.id}: ${document}`).toBe(true);
    }
  });

  it('quotes every passage verbatim, exactly once, in its document extracted by the real parser', () => {
    const texts = new Map([...extracted].map(([name, d]) => [name, d.text]));
    const problems: string[] = [];
    for (const q of set.questions) {
      for (const { document, text } of q.passages) {
        const found = occurrences(texts.get(document) ?? '', text).length;
        if (found !== 1) problems.push(`${q.id} (${document}): found ${found} times: "${text}"`);
      }
    }
    expect(problems).toEqual([]);
    // And the ranges point back at the quoted text.
    for (const q of set.questions) {
      for (const [i, range] of locatePassages(q, texts).entries()) {
        expect(texts.get(range.document)!.slice(range.start, range.end)).toBe(q.passages[i]!.text);
      }
    }
  });

  it('asks two-passage questions about two distinct passages, every other question about one', () => {
    const texts = new Map([...extracted].map(([name, d]) => [name, d.text]));
    for (const q of set.questions) {
      if (q.type !== 'two-passage') {
        expect(q.passages, q.id).toHaveLength(1);
        continue;
      }
      expect(q.passages, q.id).toHaveLength(2);
      const [a, b] = locatePassages(q, texts);
      const overlap = a!.document === b!.document && a!.start < b!.end && b!.start < a!.end;
      expect(overlap, q.id).toBe(false);
    }
    const across = set.questions.filter((q) => q.type === 'two-passage' && q.documents.length === 2);
    expect(across.length).toBeGreaterThanOrEqual(5);
  });

  it('words paraphrases apart from their passage, unlike lexical questions', () => {
    const share = (type: string) => set.questions.filter((q) => q.type === type).map(sharedWordShare);
    const average = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(average(share('paraphrase'))).toBeLessThan(0.6 * average(share('lexical')));
    const tooClose = set.questions.filter((q) => q.type === 'paraphrase' && sharedWordShare(q) > 0.5);
    expect(tooClose.map((q) => q.id)).toEqual([]);
    const tooFar = set.questions.filter((q) => q.type === 'lexical' && sharedWordShare(q) < 0.2);
    expect(tooFar.map((q) => q.id)).toEqual([]);
    expect(average(share('multilingual'))).toBeLessThan(0.15);
  });

  it('asks multilingual questions in another language than their document, the rest in the same', () => {
    for (const q of set.questions) {
      const documentLanguage = set.languageOf(q.documents[0]!);
      if (q.type === 'multilingual') expect(q.language, q.id).not.toBe(documentLanguage);
      else expect(q.language, q.id).toBe(documentLanguage);
    }
    const multilingual = set.questions.filter((q) => q.type === 'multilingual');
    // Both directions: questions about English passages and English questions about other languages.
    expect(multilingual.filter((q) => q.language === 'en').length).toBeGreaterThanOrEqual(5);
    expect(new Set(multilingual.map((q) => q.language)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('retrieval metrics', () => {
  const passages = [
    { document: 'a.md', start: 100, end: 160 },
    { document: 'b.md', start: 0, end: 40 },
  ];
  const chunk = (document: string, start: number, end: number) => ({ document, start, end });

  it('counts a chunk that overlaps a passage of the same document as a hit, each passage once', () => {
    const retrieved = [chunk('b.md', 100, 200), chunk('a.md', 150, 300), chunk('a.md', 0, 100)];
    // a.md 150-300 overlaps a.md 100-160; a.md 0-100 only touches it; b.md 100-200 misses b.md 0-40.
    expect(recallAt(5, retrieved, passages)).toBe(0.5);
    expect(reciprocalRankAt(10, retrieved, passages)).toBe(0.5);
    expect(recallAt(5, [...retrieved, chunk('b.md', 30, 90)], passages)).toBe(1);
  });

  it('ignores hits below the cut-off', () => {
    const misses = Array.from({ length: 5 }, (_, i) => chunk('c.md', i * 10, i * 10 + 10));
    const retrieved = [...misses, chunk('a.md', 90, 110)];
    expect(recallAt(5, retrieved, passages)).toBe(0);
    expect(reciprocalRankAt(10, retrieved, passages)).toBeCloseTo(1 / 6);
    expect(reciprocalRankAt(5, retrieved, passages)).toBe(0);
  });
});
