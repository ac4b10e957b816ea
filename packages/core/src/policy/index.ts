export * from './model.js';
export * from './read.js';
export * from './versions.js';
export * from './diff.js';
