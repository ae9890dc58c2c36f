export * from './consent.js';
