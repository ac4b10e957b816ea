export * from './problems.js';
export * from './schema.js';
