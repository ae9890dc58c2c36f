// Public API of the end-to-end library for the widget and the server: every function of ./api.ts and
// the standard libsodium build's loader. The console imports ./api-sumo.ts instead (sumo build only).
export * from './api.js';
export { loadSodium } from './sodium-standard.js';
