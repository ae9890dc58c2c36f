export * from './resume.js';
