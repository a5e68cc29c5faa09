// Hostile files beyond the library issue's list (badInput.test.ts has that list): office files cut in
// half, a DOCX whose XML expands entities a billion times, a DOCX with an entry named ../../, HTML and
// JSON nested a hundred thousand deep, a 200 KB line, a named pipe and a link to /dev/zero (reads that
// never end), names with newlines and bidi marks. Each gets a status, the batch finishes, and the
// document indexed before the batch is still found: nothing lost.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestItem } from '../../common/api/contract.js';
import { makeDocx, makeEpub, makeOdt, makePptx, makeXlsx, sentence } from '../../../test/support/index.js';
import { openHarness, type LibraryHarness } from './testing.js';

let harness: LibraryHarness;
let before: string;
let dir: string;
let items: Map<string, IngestItem>;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`;

const half = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));

beforeAll(async () => {
  harness = await openHarness({ limits: { maxTextChars: 200_000, maxUnzippedBytes: 5_000_000 } });
  // A document indexed before the hostile batch: it must survive it.
  before = await mkdtemp(join(tmpdir(), 'hearth-hostile-before-'));
  await writeFile(join(before, 'keep.txt'), sentence('marmalade'));
  await harness.call('library.add', { paths: [before] });
  await harness.call('library.waitIdle', {});

  dir = await mkdtemp(join(tmpdir(), 'hearth-hostile-'));
  const file = (name: string) => join(dir, name);
  await writeFile(file('cut.docx'), half(await makeDocx('Heading', sentence('cut'))));
  await writeFile(file('cut.xlsx'), half(await makeXlsx([['a', 'b']])));
  await writeFile(file('cut.pptx'), half(await makePptx('Title', sentence('cut'))));
  await writeFile(file('cut.odt'), half(await makeOdt('Heading', sentence('cut'))));
  await writeFile(file('cut.epub'), half(await makeEpub('Chapter', sentence('cut'))));
  const laughs = await JSZip.loadAsync(await makeDocx('Heading', 'text'));
  laughs.file('word/document.xml', BILLION_LAUGHS);
  await writeFile(file('laughs.docx'), await laughs.generateAsync({ type: 'nodebuffer' }));
  const traversal = await JSZip.loadAsync(await makeDocx('Heading', sentence('quokka')));
  traversal.file('../../../../tmp/hearth-escaped.txt', 'escaped');
  await writeFile(file('traversal.docx'), await traversal.generateAsync({ type: 'nodebuffer' }));
  await writeFile(
    file('nested.html'),
    `<html><body>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}</body></html>`,
  );
  await writeFile(file('nested.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  await writeFile(file('one-line.csv'), `${'x,'.repeat(100_000)}x\n`);
  await writeFile(file('nul.md'), `# Title\n\n${'\0'.repeat(10_000)}`);
  execFileSync('mkfifo', [file('pipe.txt')]);
  await symlink('/dev/zero', file('zero.txt'));
  await writeFile(file('line\nbreak\u202e.txt'), sentence('wombat'));
  await writeFile(file('good.txt'), sentence('rhubarb'));

  await harness.call('library.add', { paths: [dir] });
  const status = await harness.call('library.waitIdle', {});
  items = new Map(
    status.items
      .filter((item) => item.path.startsWith(dir))
      .map((item) => [item.path.slice(dir.length + 1), item]),
  );
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await rm(before, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

describe('hostile files', () => {
  it('gives every file a final status, with a reason for each one not indexed', async () => {
    expect([...items.keys()].sort()).toEqual((await readdir(dir)).sort());
    for (const [name, item] of items) {
      expect(['ready', 'skipped', 'failed'], name).toContain(item.state);
      if (item.state !== 'ready') expect(item.reason?.length ?? 0, name).toBeGreaterThan(0);
    }
  });

  it.each(['cut.docx', 'cut.xlsx', 'cut.pptx', 'cut.odt', 'cut.epub'])(
    '%s (cut in half) is not indexed',
    (name) => {
      expect(items.get(name)?.state).not.toBe('ready');
    },
  );

  it('does not expand a billion laughs, and writes nothing outside from a ../ entry', async () => {
    expect(items.get('laughs.docx')?.state).toBeDefined();
    const documents = await harness.call('library.documents', {});
    const laughs = documents.find((d) => d.name === 'laughs.docx');
    // Either refused, or indexed with the entities left unexpanded (a few chunks, not gigabytes).
    expect(laughs?.chunkCount ?? 0).toBeLessThan(10);
    await expect(readdir('/tmp')).resolves.not.toContain('hearth-escaped.txt');
  });

  it('never hangs on a named pipe or /dev/zero: neither is a regular file', () => {
    for (const name of ['pipe.txt', 'zero.txt']) {
      expect(items.get(name), name).toMatchObject({ state: 'failed', reason: 'not a regular file' });
    }
  });

  it('refuses a billion laughs and JSON nested 100,000 deep with a reason', () => {
    expect(items.get('laughs.docx')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/corrupt DOCX/),
    });
    expect(items.get('nested.json')?.state).toBe('failed');
  });

  it('reads HTML nested 100,000 deep as plain text instead of walking it', () => {
    expect(items.get('nested.html')?.state).toBe('ready');
  });

  it('indexes the good files of the batch, odd names included', async () => {
    expect(items.get('good.txt')?.state).toBe('ready');
    expect(items.get('line\nbreak\u202e.txt')?.state).toBe('ready');
    const [hit] = await harness.call('library.search', { query: 'wombat', mode: 'text', limit: 1 });
    expect(hit?.documentName).toBe('line\nbreak\u202e.txt');
  });

  it('loses nothing indexed before the batch', async () => {
    const [hit] = await harness.call('library.search', { query: 'marmalade', mode: 'text', limit: 1 });
    expect(hit?.documentName).toBe('keep.txt');
    const status = await harness.call('library.status', {});
    expect(status).toBeDefined();
  });
});
