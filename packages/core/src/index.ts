export * from './money/index.js';
export * from './period/index.js';
export * from './validate/index.js';
export * from './policy/index.js';
export * from './pay/index.js';
export * from './net/index.js';
export * from './levels/index.js';
