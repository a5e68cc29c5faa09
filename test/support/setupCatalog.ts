/**
 * A catalog for first-run setup: the tiny chat model, a 70B entry no test machine fits (so the
 * choice is visible), and a generated embedding model; all served by the local download server.
 */
import type { DownloadServer } from './downloadServer.js';
import { buildTestModel } from './gguf/testModel.js';
import { TINY_CATALOG_ENTRY, TINY_MODEL_PATH } from './tinyCatalog.js';

export const TINY_EMBED_PATH = 'hearth/tiny-embed-GGUF/tiny-embed-F32.gguf';

export const HUGE_CATALOG_ENTRY = {
  ...TINY_CATALOG_ENTRY,
  id: 'huge',
  name: 'Huge',
  description: 'A 70B entry that no test machine fits.',
  parametersB: 70,
  license: 'apache-2.0',
};

export const TINY_EMBED_ENTRY = {
  id: 'tiny-embed',
  kind: 'embedding',
  name: 'Tiny Embed',
  family: 'Test',
  description: 'A generated embedding test model.',
  repo: 'hearth/tiny-embed-GGUF',
  parametersB: 0.0002,
  contextLength: 4096,
  license: 'apache-2.0',
  commercialUse: true,
  isDefault: true,
  quantizations: [{ name: 'F32', files: ['tiny-embed-F32.gguf'] }],
  recommended: 'F32',
};

/** Serves the three models and `/setup-catalog.json`; returns the catalog's URL. */
export function serveSetupCatalog(server: DownloadServer): string {
  server.serve(TINY_MODEL_PATH, { bytes: buildTestModel({ seed: 3, name: 'Tiny' }) });
  server.serve(TINY_EMBED_PATH, { bytes: buildTestModel({ seed: 11, name: 'Tiny Embed' }) });
  server.serveJson('/setup-catalog.json', {
    version: 1,
    entries: [HUGE_CATALOG_ENTRY, TINY_CATALOG_ENTRY, TINY_EMBED_ENTRY],
  });
  return `${server.url}/setup-catalog.json`;
}
