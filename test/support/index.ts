export * from './gguf/index.js';
