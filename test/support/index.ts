export * from './gguf/index.js';
export * from './library/parseWorker.js';
export * from './library/embeddingModel.js';
export * from './library/documents.js';
export * from './library/bundle.js';
export { startDownloadServer, type DownloadServer, type Faults, type ServedFile } from './downloadServer.js';
export { buildTestLora, writeTestLora, type TestLoraOptions } from './gguf/loraAdapter.js';
export { serveTinyCatalog, TINY_CATALOG_ENTRY, TINY_MODEL_PATH } from './tinyCatalog.js';
export { longConversationJson, END_MARKER, START_MARKER } from './longConversation.js';
