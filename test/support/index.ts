export * from './gguf/index.js';
export { startDownloadServer, type DownloadServer, type Faults, type ServedFile } from './downloadServer.js';
export { buildTestLora, writeTestLora, type TestLoraOptions } from './gguf/loraAdapter.js';
