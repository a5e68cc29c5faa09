// Structure-aware chunking: headings start chunks and form their path, pages are never mixed,
// chunks respect the token budget with overlap, and offsets point at the exact text.
import { describe, expect, it } from 'vitest';
import { TextBuilder } from '../parse/TextBuilder.js';
import { chunkDocument } from './chunkDocument.js';

/** One "token" per word: easy to count by hand. */
const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

function build(add: (out: TextBuilder) => void) {
  const out = new TextBuilder();
  add(out);
  return out.build('markdown');
}

describe('chunkDocument', async () => {
  it('starts a chunk at each heading and keeps the heading path', async () => {
    const document = build((out) => {
      out.add('heading', 'Guide', { level: 1 });
      out.add('heading', 'Install', { level: 2 });
      out.add('paragraph', 'Run the installer.');
      out.add('heading', 'Use', { level: 2 });
      out.add('list-item', '- open the app');
      out.add('heading', 'Appendix', { level: 1 });
      out.add('code', 'const x = 1;');
    });
    const chunks = await chunkDocument(document, { maxTokens: 100, overlapTokens: 10, countTokens });
    expect(chunks.map((c) => c.headingPath)).toEqual([['Guide', 'Install'], ['Guide', 'Use'], ['Appendix']]);
    // The lone title "Guide" is not a passage of its own.
    expect(chunks[0]!.text).toBe('Install\n\nRun the installer.');
    for (const chunk of chunks) expect(document.text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
  });

  it('never mixes pages', async () => {
    const out = new TextBuilder();
    out.add('paragraph', 'first page text', { page: 1 });
    out.add('paragraph', 'second page text', { page: 2 });
    const chunks = await chunkDocument(out.build('pdf'), { maxTokens: 100, overlapTokens: 0, countTokens });
    expect(chunks.map((c) => [c.page, c.text])).toEqual([
      [1, 'first page text'],
      [2, 'second page text'],
    ]);
  });

  it('packs paragraphs up to the budget and overlaps neighbours by whole blocks', async () => {
    const document = build((out) => {
      for (let i = 0; i < 6; i++) out.add('paragraph', `p${i} a b c d`);
    });
    const chunks = await chunkDocument(document, { maxTokens: 12, overlapTokens: 5, countTokens });
    expect(chunks.map((c) => c.text.split('\n\n').map((p) => p.split(' ')[0]))).toEqual([
      ['p0', 'p1'],
      ['p1', 'p2'],
      ['p2', 'p3'],
      ['p3', 'p4'],
      ['p4', 'p5'],
    ]);
    for (const chunk of chunks) expect(countTokens(chunk.text)).toBeLessThanOrEqual(12);
  });

  it('cuts a block bigger than the budget into overlapping pieces', async () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    const document = build((out) => out.add('paragraph', words));
    const chunks = await chunkDocument(document, { maxTokens: 20, overlapTokens: 4, countTokens });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(countTokens(chunk.text)).toBeLessThanOrEqual(20);
      expect(document.text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
    }
    expect(chunks[0]!.text.startsWith('w0 ')).toBe(true);
    expect(chunks.at(-1)!.text.endsWith('w99')).toBe(true);
    expect(chunks[1]!.charStart).toBeLessThan(chunks[0]!.charEnd);
  });
});
