// Every bad input the issue names gets a clear per-file status, and the rest of the batch goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { IngestItem } from '../../common/api/contract.js';
import { makeEncryptedPdf, makeScannedPdf, makeZipBomb, sentence } from '../../../test/support/index.js';
import { openHarness, type LibraryHarness } from './testing.js';

const isRoot = process.getuid?.() === 0;
const TEXT_LIMIT = 50_000;

let harness: LibraryHarness;
let dir: string;
let items: Map<string, IngestItem>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-bad-'));
  const file = (name: string) => join(dir, name);
  await writeFile(file('encrypted.pdf'), makeEncryptedPdf());
  await writeFile(file('corrupt.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without end');
  await writeFile(file('scanned.pdf'), await makeScannedPdf());
  await writeFile(file('empty.txt'), '');
  await writeFile(file('junk.txt'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  await writeFile(
    file('photo.txt'),
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]),
  );
  await writeFile(file('bomb.docx'), await makeZipBomb(5_000_000));
  const archive = new JSZip().file('readme.txt', 'just an archive');
  await writeFile(file('archive.zip'), await archive.generateAsync({ type: 'nodebuffer' }));
  // Looks like a DOCX (it has the body entry) but the body is not XML.
  await writeFile(file('broken.docx'), await makeZipBomb(10));
  // A 2 GB text file: real text at the start, the rest a sparse hole. Only the limit is read.
  const huge = await open(file('huge.log'), 'w');
  await huge.write(
    `${sentence('quince')}\n\n${'All work and no play makes a dull log line.\n'.repeat(5000)}`,
  );
  await huge.truncate(2 * 1024 * 1024 * 1024);
  await huge.close();
  await writeFile(file('locked.txt'), 'secret');
  await chmod(file('locked.txt'), 0o000);
  await mkdir(file('nested'));
  await symlink(dir, file('nested/loop'));
  await symlink(file('self.txt'), file('self.txt'));
  await writeFile(file('good.txt'), sentence('rhubarb'));

  harness = await openHarness({ limits: { maxTextChars: TEXT_LIMIT, maxUnzippedBytes: 1_000_000 } });
  await harness.call('library.add', { paths: [dir] });
  const status = await harness.call('library.waitIdle', {});
  items = new Map(status.items.map((item) => [item.path.slice(dir.length + 1), item]));
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await chmod(join(dir, 'locked.txt'), 0o644).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('bad input', () => {
  it.each([
    ['encrypted.pdf', 'skipped', /encrypted PDF/],
    ['corrupt.pdf', 'failed', /corrupt PDF/],
    ['scanned.pdf', 'skipped', /scanned PDF: no text layer/],
    ['empty.txt', 'skipped', /empty file/],
    ['junk.txt', 'skipped', /not a document: binary data/],
    ['photo.txt', 'skipped', /PNG image/],
    ['bomb.docx', 'skipped', /zip bomb/],
    ['archive.zip', 'skipped', /zip archive/],
    ['broken.docx', 'failed', /corrupt DOCX file/],
    ['self.txt', 'failed', /symbolic link loop/],
    ['nested/loop', 'failed', /symbolic link loop/],
  ])('%s is %s with a reason', (name, state, reason) => {
    expect(items.get(name)).toMatchObject({ state, reason: expect.stringMatching(reason) });
  });

  it.skipIf(isRoot)('a file without read permission fails with that reason', () => {
    expect(items.get('locked.txt')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/no permission/),
    });
  });

  it('indexes a 2 GB text file up to the limit, saying so', async () => {
    const item = items.get('huge.log');
    expect(item).toMatchObject({ state: 'ready', reason: expect.stringMatching(/first 50,000 characters/) });
    const [hit] = await harness.call('library.search', { query: 'quince', mode: 'text', limit: 1 });
    expect(hit?.documentName).toBe('huge.log');
    const documents = await harness.call('library.documents', {});
    expect(documents.find((d) => d.name === 'huge.log')?.sizeBytes).toBe(2 * 1024 * 1024 * 1024);
  });

  it('goes on with the rest of the batch', async () => {
    expect(items.get('good.txt')?.state).toBe('ready');
    const [hit] = await harness.call('library.search', { query: 'rhubarb', mode: 'text', limit: 1 });
    expect(hit?.documentName).toBe('good.txt');
  });

  it('never indexes anything from the bad files', async () => {
    const names = (await harness.call('library.documents', {})).map((d) => d.name).sort();
    expect(names).toEqual(isRoot ? ['good.txt', 'huge.log', 'locked.txt'] : ['good.txt', 'huge.log']);
  });
});
