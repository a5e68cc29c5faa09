// The library end to end in the core: real files of every type (made here), the parse worker,
// the generated test model as the embedder, and a real LanceDB index on disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_WORDS, sentence, writeEveryType } from '../../../test/support/index.js';
import { openHarness, type LibraryHarness } from './testing.js';

let harness: LibraryHarness;
let dir: string;
let paths: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-docs-'));
  paths = await writeEveryType(dir);
  harness = await openHarness();
  await harness.call('library.add', { paths: [dir], collection: 'Kitchen' });
  await harness.call('library.waitIdle', {});
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('indexing every supported type', () => {
  it('makes every file ready', async () => {
    const status = await harness.call('library.status', {});
    const notReady = status.items.filter((item) => item.state !== 'ready');
    expect(notReady).toEqual([]);
    expect(status.items).toHaveLength(Object.keys(SECRET_WORDS).length);
    expect(status.overall).toMatchObject({
      ready: Object.keys(SECRET_WORDS).length,
      queued: 0,
      active: 0,
      progress: 1,
    });
  });

  it('lists the documents with their kind, chunk count and pages', async () => {
    const documents = await harness.call('library.documents', { collection: 'Kitchen' });
    const byName = Object.fromEntries(documents.map((d) => [d.name, d]));
    expect(byName['report.pdf']).toMatchObject({ kind: 'pdf', pageCount: 2 });
    expect(byName['memo.docx']?.kind).toBe('docx');
    expect(byName['slides.pptx']).toMatchObject({ kind: 'pptx', pageCount: 2 });
    expect(byName['budget.xlsx']?.kind).toBe('xlsx');
    expect(byName['letter.odt']?.kind).toBe('odt');
    expect(byName['novel.epub']?.kind).toBe('epub');
    expect(byName['page.html']?.kind).toBe('html');
    expect(byName['notes.md']?.kind).toBe('markdown');
    expect(byName['table.csv']?.kind).toBe('csv');
    expect(byName['data.json']?.kind).toBe('json');
    expect(byName['tool.py']?.kind).toBe('code');
    for (const document of documents) expect(document.chunkCount, document.name).toBeGreaterThan(0);
  });

  it('emitted progress through every state to ready', () => {
    const states = harness.events
      .filter((e) => e.event === 'library.progress')
      .map((e) => (e.payload as { item: { state: string } }).item.state);
    expect(new Set(states)).toEqual(new Set(['queued', 'reading', 'indexing', 'ready']));
  });
});

describe('search', () => {
  it.each(Object.entries(SECRET_WORDS))('finds the passage of %s by full text', async (name, word) => {
    const [top] = await harness.call('library.search', { query: word, mode: 'text', limit: 3 });
    expect(top?.documentName).toBe(name);
    expect(top?.text).toContain(word);
    const [start, end] = top!.highlights[0]!;
    expect(top!.text.slice(start, end).toLowerCase()).toBe(word);
  });

  it('keeps pages, headings and exact offsets for citations', async () => {
    const [pdf] = await harness.call('library.search', { query: 'aubergine', mode: 'text', limit: 1 });
    expect(pdf?.page).toBe(2);
    const [md] = await harness.call('library.search', { query: 'hibiscus', mode: 'text', limit: 1 });
    expect(md?.headingPath).toEqual(['Notes', 'Herbs']);
    expect(md!.charEnd - md!.charStart).toBe(md!.text.length);
    const [epub] = await harness.call('library.search', { query: 'fenugreek', mode: 'text', limit: 1 });
    expect(epub?.headingPath).toEqual(['Chapter Two']);
  });

  it('decodes legacy encodings and UTF-16', async () => {
    const [latin] = await harness.call('library.search', { query: 'nutmeg', mode: 'text', limit: 1 });
    expect(latin?.text).toContain('Café crème');
    const [utf16] = await harness.call('library.search', { query: 'oregano', mode: 'text', limit: 1 });
    expect(utf16?.text).toBe(sentence('oregano'));
  });

  it('leaves HTML navigation and footers out', async () => {
    const hits = await harness.call('library.search', { query: 'navigation footer', mode: 'text', limit: 5 });
    expect(hits.filter((h) => h.documentName === 'page.html')).toEqual([]);
  });

  it('finds a passage by vector: its own text embeds to the same vector', async () => {
    const [top] = await harness.call('library.search', {
      query: sentence('juniper'),
      mode: 'vector',
      limit: 3,
    });
    expect(top?.documentName).toBe('plain.txt');
    expect(top?.score).toBeCloseTo(1, 3);
  });

  it('finds a passage by hybrid search (reciprocal-rank fusion of both)', async () => {
    const [top] = await harness.call('library.search', { query: 'kumquat', mode: 'hybrid', limit: 5 });
    expect(top?.documentName).toBe('table.csv');
    expect(top?.score).toBeGreaterThan(1 / 61);
  });

  it('searches only the named collections', async () => {
    await harness.call('collections.create', { name: 'Empty' });
    expect(
      await harness.call('library.search', { query: 'kumquat', collections: ['Empty'], mode: 'text' }),
    ).toEqual([]);
    await expect(harness.call('library.search', { query: 'x', collections: ['Nope'] })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });
});

describe('re-adding and removing', () => {
  it('skips a file added again with the same content', async () => {
    const { queued } = await harness.call('library.add', {
      paths: [paths['plain.txt']!],
      collection: 'Kitchen',
    });
    await harness.call('library.waitIdle', {});
    const status = await harness.call('library.status', {});
    const item = status.items.find((i) => i.id === queued[0]!.id);
    expect(item).toMatchObject({ state: 'skipped', reason: 'already in the library (unchanged)' });
    const hits = await harness.call('library.search', { query: 'juniper', mode: 'text', limit: 10 });
    expect(hits).toHaveLength(1);
  });

  it('deleting a document deletes its chunks', async () => {
    const [hit] = await harness.call('library.search', { query: 'lemongrass', mode: 'text', limit: 1 });
    expect(await harness.call('library.removeDocument', { documentId: hit!.documentId })).toEqual({
      removed: true,
    });
    expect(await harness.call('library.search', { query: 'lemongrass', mode: 'text' })).toEqual([]);
    expect(
      await harness.call('library.search', { query: sentence('lemongrass'), mode: 'vector', limit: 20 }),
    ).not.toContainEqual(expect.objectContaining({ documentId: hit!.documentId }));
  });
});
