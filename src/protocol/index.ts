export * from './topics.js';
export * from './payloads.js';
export * from './parse.js';
export * from './patterns.js';
export * from './signing.js';
