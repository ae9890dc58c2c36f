// The wire contract shared by the server and both clients: ids, categories, messages, socket frames,
// error codes. Types and plain constants only, so the widget can import it at no bundle cost; the
// zod schemas (rest.ts: HTTP shapes, frame-schema.ts: socket frames) are for the server, tests, and
// `import type` from the clients.
export * from './audit.js';
export * from './categories.js';
export * from './errors.js';
export * from './frames.js';
export * from './ids.js';
export * from './languages.js';
export * from './messages.js';
export * from './retention.js';
export * from './roles.js';
export * from './teams.js';
