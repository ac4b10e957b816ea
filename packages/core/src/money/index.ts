export * from './decimal.js';
export * from './fen.js';
