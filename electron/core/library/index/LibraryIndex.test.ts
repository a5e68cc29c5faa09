// The LanceDB index on its own: explicit schemas, replace-by-document, orphan cleanup, full-text
// and vector search, and the ANN index built in the background once the table passes the threshold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../../../test/support/gguf/random.js';
import { annIndexParams, LibraryIndex, type ChunkRow, type DocumentRow } from './LibraryIndex.js';

const DIM = 16;
let dir: string;
let index: LibraryIndex;

function unit(random: () => number): number[] {
  const v = Array.from({ length: DIM }, () => random() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function doc(id: string, chunkCount: number): DocumentRow {
  return {
    id,
    collection_id: 'c1',
    name: `${id}.txt`,
    path: `/docs/${id}.txt`,
    kind: 'text',
    size_bytes: 10,
    content_hash: `hash-${id}`,
    chunk_count: chunkCount,
    page_count: null,
    indexed_at: new Date().toISOString(),
    note: null,
  };
}

function chunks(docId: string, texts: string[], random: () => number): ChunkRow[] {
  return texts.map((text, ord) => ({
    id: `${docId}:${ord}`,
    doc_id: docId,
    collection_id: 'c1',
    ord,
    text,
    heading_path: '[]',
    page: null,
    char_start: 0,
    char_end: text.length,
    vector: unit(random),
  }));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-index-'));
});
afterEach(async () => {
  await index?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LibraryIndex', () => {
  it('replaces a document without leaving old chunks, and deletes chunks with it', async () => {
    const random = mulberry32(1);
    index = await LibraryIndex.open(dir, DIM);
    await index.putDocument(doc('a', 2), chunks('a', ['old walrus text', 'more old text'], random));
    await index.putDocument(doc('a', 1), chunks('a', ['new narwhal text'], random));
    expect(await index.countChunks('a')).toBe(1);
    expect((await index.textSearch('walrus', 5)).length).toBe(0);
    expect((await index.textSearch('narwhal', 5))[0]?.doc_id).toBe('a');
    await index.deleteDocuments(['a']);
    expect(await index.countChunks()).toBe(0);
    expect(await index.listDocuments()).toEqual([]);
  });

  it('removes orphan chunks whose document row never got written', async () => {
    const random = mulberry32(2);
    index = await LibraryIndex.open(dir, DIM);
    await index.putDocument(doc('b', 1), chunks('b', ['kept'], random));
    await index.documents.delete("id = 'b'");
    expect(await index.removeOrphans()).toBe(1);
    expect(await index.countChunks()).toBe(0);
  });

  it('builds an ANN index in the background past the threshold; vector search still finds exact matches', async () => {
    const random = mulberry32(3);
    index = await LibraryIndex.open(dir, DIM, { tuning: { annThreshold: 300 } });
    const rows = chunks(
      'big',
      Array.from({ length: 320 }, (_, i) => `row ${i}`),
      random,
    );
    await index.putDocument(doc('big', rows.length), rows);
    await index.settle();
    expect(index.annReady).toBe(true);
    const target = rows[123]!;
    const [top] = await index.vectorSearch(target.vector, 5);
    expect(top?.id).toBe(target.id);
    expect(top?.score).toBeCloseTo(1, 2);
  });

  it('writes many documents at once, finds them by id in one call, and hybrid search fuses both rankings', async () => {
    const random = mulberry32(5);
    index = await LibraryIndex.open(dir, DIM);
    const items = ['d1', 'd2', 'd3'].map((id, n) => ({
      document: doc(id, 2),
      chunks: chunks(id, [`plain words number ${n}`, n === 1 ? 'the quokka passage' : `filler ${n}`], random),
    }));
    const timings = await index.putDocuments(items);
    expect(timings.writeMs).toBeGreaterThanOrEqual(0);
    expect(await index.countChunks()).toBe(6);
    expect([...(await index.getDocuments(['d3', 'd1', 'missing'])).keys()].sort()).toEqual(['d1', 'd3']);
    // The passage's own vector and its rare word: first in both lists, so first after fusion.
    const target = items[1]!.chunks[1]!;
    const [top] = await index.hybridSearch(target.vector, 'quokka', 3);
    expect(top?.id).toBe(target.id);
    const [exact] = await index.vectorSearch(target.vector, 1, undefined, { exact: true });
    expect(exact?.id).toBe(target.id);
  });

  it('sizes the ANN index from the row count, within bounds', () => {
    expect(annIndexParams(10_000).numPartitions).toBe(50);
    expect(annIndexParams(1_000_000).numPartitions).toBe(500);
    expect(annIndexParams(100_000_000).numPartitions).toBe(512);
    expect(annIndexParams(1).numPartitions).toBe(1);
  });

  it('trains the ANN index again once the table has grown past the retrain factor', async () => {
    const random = mulberry32(6);
    const lines: string[] = [];
    index = await LibraryIndex.open(dir, DIM, {
      tuning: { annThreshold: 300, annRetrainGrowth: 2 },
      log: (line) => lines.push(line),
    });
    const rows = (id: string, n: number) =>
      chunks(
        id,
        Array.from({ length: n }, (_, i) => `row ${i}`),
        random,
      );
    await index.putDocument(doc('first', 300), rows('first', 300));
    await index.settle();
    await index.putDocument(doc('second', 100), rows('second', 100));
    await index.settle();
    expect(lines.filter((line) => line.includes('building the ANN index'))).toHaveLength(1);
    await index.putDocument(doc('third', 250), rows('third', 250));
    await index.settle();
    expect(lines.filter((line) => line.includes('building the ANN index'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/ANN index built/);
  });

  it('resets the chunks table for another dimension (another embedding model)', async () => {
    const random = mulberry32(4);
    index = await LibraryIndex.open(dir, DIM);
    await index.putDocument(doc('c', 1), chunks('c', ['text'], random));
    await index.close();
    index = await LibraryIndex.open(dir, 8, { reset: true });
    expect(index.dimension).toBe(8);
    expect(await index.countChunks()).toBe(0);
  });
});
