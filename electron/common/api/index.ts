export * from './contract.js';
export * from './errors.js';
export * from './dispatch.js';
export * from './wire.js';
