// Browser drops: the token-protected upload endpoint stores bytes under a random handle that
// library.add accepts; it refuses wrong methods, missing tokens, foreign origins and oversize bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, rm } from 'node:fs/promises';
import { sentence } from '../../test/support/index.js';
import { openHarness, type LibraryHarness } from '../core/library/testing.js';
import { startHost, type RunningHost } from './index.js';
import { makeRendererFixture, type RendererFixture } from './testing.js';
import { LIBRARY_UPLOAD_PATH } from './libraryUpload.js';

let fixture: RendererFixture;
let harness: LibraryHarness;
let host: RunningHost;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  harness = await openHarness();
  host = await startHost({ engine: harness.engine, rendererDir: fixture.rendererDir, maxUploadBytes: 4096 });
});

afterAll(async () => {
  await host?.close();
  await harness?.close();
  if (fixture) await rm(fixture.root, { recursive: true, force: true });
});

function upload(
  body: string | Buffer,
  options: { name?: string; token?: string | null; method?: string; origin?: string } = {},
) {
  const name = options.name ?? 'notes/dropped.md';
  const headers: Record<string, string> = {};
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? host.token}`;
  if (options.origin) headers.origin = options.origin;
  return fetch(`http://127.0.0.1:${host.port}${LIBRARY_UPLOAD_PATH}?name=${encodeURIComponent(name)}`, {
    method: options.method ?? 'POST',
    headers,
    ...(options.method === 'GET' ? {} : { body }),
  });
}

describe('upload endpoint', () => {
  it('stores a file and library.add indexes it by handle under its dropped name', async () => {
    const response = await upload(`# Dropped\n\n${sentence('saffron')}\n`);
    expect(response.status).toBe(200);
    const { handle, name, sizeBytes } = (await response.json()) as {
      handle: string;
      name: string;
      sizeBytes: number;
    };
    expect(name).toBe('notes/dropped.md');
    expect(sizeBytes).toBeGreaterThan(10);
    expect(await readdir(harness.engine.libraryUploadsDir)).toEqual([handle]);

    await harness.call('library.add', { uploads: [{ handle, name }], collection: 'Drops' });
    const status = await harness.call('library.waitIdle', {});
    expect(status.items[0]).toMatchObject({ state: 'ready', name: 'notes/dropped.md' });
    const [hit] = await harness.call('library.search', { query: 'saffron', mode: 'text' });
    expect(hit).toMatchObject({ documentName: 'notes/dropped.md', headingPath: ['Dropped'] });
  });

  it('refuses a request without the token', async () => {
    expect((await upload('x', { token: null })).status).toBe(401);
    expect((await upload('x', { token: 'wrong' })).status).toBe(401);
  });

  it('refuses another origin', async () => {
    expect((await upload('x', { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses GET, a missing name and a body over the limit, leaving nothing behind', async () => {
    expect((await upload('x', { method: 'GET' })).status).toBe(405);
    expect((await upload('x', { name: '' })).status).toBe(400);
    const before = await readdir(harness.engine.libraryUploadsDir);
    expect((await upload(Buffer.alloc(10_000, 97))).status).toBe(413);
    expect(await readdir(harness.engine.libraryUploadsDir)).toEqual(before);
  });

  it('rejects handles that are not uploads', async () => {
    await expect(
      harness.call('library.add', { uploads: [{ handle: '../../etc/passwd', name: 'x' }] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      harness.call('library.add', { uploads: [{ handle: 'AAAAAAAAAAAAAAAAAAAAAAAA', name: 'x' }] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
