/** A one-entry catalog pointing at a generated model, served by the local download server. */
import type { DownloadServer } from './downloadServer.js';
import { buildTestModel } from './gguf/testModel.js';

export const TINY_MODEL_PATH = 'hearth/tiny-GGUF/tiny-F32.gguf';

export const TINY_CATALOG_ENTRY = {
  id: 'tiny',
  kind: 'chat',
  name: 'Tiny',
  family: 'Test',
  description: 'A generated test model.',
  repo: 'hearth/tiny-GGUF',
  parametersB: 0.0002,
  contextLength: 4096,
  license: 'mit',
  commercialUse: true,
  quantizations: [{ name: 'F32', files: ['tiny-F32.gguf'] }],
  recommended: 'F32',
};

/** Serves the tiny model and `/catalog.json` listing it; returns the catalog's URL. */
export function serveTinyCatalog(server: DownloadServer, modelBytes = buildTestModel({ seed: 3 })): string {
  server.serve(TINY_MODEL_PATH, { bytes: modelBytes });
  server.serveJson('/catalog.json', { version: 1, entries: [TINY_CATALOG_ENTRY] });
  return `${server.url}/catalog.json`;
}
