// The LanceDB index on its own: explicit schemas, replace-by-document, orphan cleanup, full-text
// and vector search, and the ANN index built in the background once the table passes the threshold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../../../test/support/gguf/random.js';
import { LibraryIndex, type ChunkRow, type DocumentRow } from './LibraryIndex.js';

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
