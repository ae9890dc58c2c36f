export * from './wait-estimate.js';
