export * from './gguf/index.js';
export * from './library/parseWorker.js';
export * from './library/embeddingModel.js';
export * from './library/documents.js';
export * from './library/bundle.js';
