/**
 * A local stand-in for Hugging Face for the Models e2e: the core helper's download server with a
 * two-entry catalog whose chat model is a generated test model, served slowly enough that a person
 * (and the test) sees the progress and can pause and resume it.
 */
import { readFile } from 'node:fs/promises';
import { ensureTestModel, startDownloadServer, type DownloadServer } from '../../test/support/index.js';

export const CATALOG_CHAT_ID = 'hearth-tiny-chat';
export const CATALOG_CHAT_NAME = 'Hearth Tiny Chat';
export const CATALOG_CHAT_FILE = 'hearth-tiny-chat.F32.gguf';

export interface CatalogServer {
  server: DownloadServer;
  /** Environment for `hearth serve` that points its catalog and downloads here. */
  env: Record<string, string>;
  sizeBytes: number;
  close(): Promise<void>;
}

export async function startCatalogServer(options: { bytesPerSecond: number }): Promise<CatalogServer> {
  const server = await startDownloadServer();
  const bytes = await readFile(await ensureTestModel({ seed: 3, name: CATALOG_CHAT_NAME }));
  server.serve(`hearth/tiny-chat-GGUF/${CATALOG_CHAT_FILE}`, { bytes });
  server.serve('hearth/tiny-embed-GGUF/hearth-tiny-embed.F32.gguf', {
    bytes: await readFile(await ensureTestModel({ seed: 4, name: 'Hearth Tiny Embed' })),
  });
  server.serveJson('/catalog.json', {
    version: 1,
    entries: [
      {
        id: CATALOG_CHAT_ID,
        kind: 'chat',
        name: CATALOG_CHAT_NAME,
        family: 'llama',
        description: 'A generated test model: random weights, story babble. For trying the download flow.',
        repo: 'hearth/tiny-chat-GGUF',
        parametersB: 0.000174,
        contextLength: 4096,
        license: 'mit',
        commercialUse: true,
        licenseNote: 'MIT: free for any use.',
        quantizations: [{ name: 'F32', files: [CATALOG_CHAT_FILE] }],
        recommended: 'F32',
      },
      {
        id: 'hearth-tiny-embed',
        kind: 'embedding',
        name: 'Hearth Tiny Embed',
        family: 'llama',
        description: 'A generated test embedding model (meaningless vectors).',
        repo: 'hearth/tiny-embed-GGUF',
        parametersB: 0.000174,
        contextLength: 4096,
        license: 'cc-by-nc-4.0',
        commercialUse: false,
        licenseNote: 'Non-commercial use only.',
        quantizations: [{ name: 'F32', files: ['hearth-tiny-embed.F32.gguf'] }],
        recommended: 'F32',
        isDefault: true,
      },
    ],
  });
  server.faults.bytesPerSecond = options.bytesPerSecond;
  return {
    server,
    env: { HEARTH_CATALOG_URL: `${server.url}/catalog.json`, HEARTH_HF_BASE: server.url },
    sizeBytes: bytes.length,
    close: () => server.close(),
  };
}
