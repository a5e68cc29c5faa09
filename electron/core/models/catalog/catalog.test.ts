import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDownloadServer,
  TINY_CATALOG_ENTRY,
  type DownloadServer,
} from '../../../../test/support/index.js';
import { CatalogInvalidError } from '../../errors/index.js';
import type { Network } from '../../net/network.js';
import { createTestNetwork } from '../../privacy/testing.js';
import { loadCatalog } from './catalog.js';

let network: Network;
let dir: string;
let server: DownloadServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-catalog-'));
  network = (await createTestNetwork(dir)).network;
  server = await startDownloadServer();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const entry = TINY_CATALOG_ENTRY;

describe('the bundled catalog', () => {
  it('has at least 15 chat models from about 0.5B to 32B, 3 embedding models and a multilingual default', async () => {
    const entries = await loadCatalog({ network });
    const chat = entries.filter((e) => e.kind === 'chat');
    const embedding = entries.filter((e) => e.kind === 'embedding');
    expect(chat.length).toBeGreaterThanOrEqual(15);
    expect(Math.min(...chat.map((e) => e.parametersB))).toBeLessThanOrEqual(1);
    expect(Math.max(...chat.map((e) => e.parametersB))).toBeGreaterThanOrEqual(30);
    expect(embedding.length).toBeGreaterThanOrEqual(3);
    expect(embedding.filter((e) => e.isDefault)).toHaveLength(1);
    expect(chat.some((e) => e.reasoning)).toBe(true);
    for (const e of entries) {
      expect(e.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      for (const quant of e.quantizations) for (const file of quant.files) expect(file).toMatch(/\.gguf$/);
    }
  });
});

describe('a configured catalog source', () => {
  it('reads a file path', async () => {
    const path = join(dir, 'catalog.json');
    await writeFile(path, JSON.stringify({ version: 1, entries: [entry] }));
    expect((await loadCatalog({ source: path, network })).map((e) => e.id)).toEqual(['tiny']);
  });

  it('reads an http URL through the network module', async () => {
    server.serveJson('/catalog.json', { version: 1, entries: [entry] });
    expect(await loadCatalog({ source: `${server.url}/catalog.json`, network })).toEqual([entry]);
  });

  it('refuses an invalid catalog with where it is wrong', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ version: 1, entries: [{ ...entry, commercialUse: 'yes' }] }));
    await expect(loadCatalog({ source: path, network })).rejects.toThrow(/entries\.0\.commercialUse/);
    await writeFile(path, JSON.stringify({ version: 1, entries: [{ ...entry, recommended: 'Q4_K_M' }] }));
    await expect(loadCatalog({ source: path, network })).rejects.toThrow(
      /Q4_K_M is not one of its quantizations/,
    );
    await writeFile(path, JSON.stringify({ version: 1, entries: [entry, entry] }));
    await expect(loadCatalog({ source: path, network })).rejects.toThrow(/duplicate id tiny/);
    await writeFile(path, '{ not json');
    await expect(loadCatalog({ source: path, network })).rejects.toBeInstanceOf(CatalogInvalidError);
    await expect(loadCatalog({ source: join(dir, 'missing.json'), network })).rejects.toThrow(
      /could not be read/,
    );
  });
});
