// Builds the browser clients (widget, console) into dist/public and configures Vitest for the repo.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { widgetPins } from './scripts/widget-pins.js';
import { precompress } from './scripts/precompress.js';
import { workerChunks } from './scripts/worker-chunk.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./client'),
  base: '/',
  plugins: [
    preact(),
    // The console's Argon2id worker shares the page's libsodium-sumo chunk (one copy, issue 18).
    workerChunks({ workers: [here('./crypto/password-worker.ts')] }),
    widgetPins({ loaderEntry: here('./client/widget/loader.ts') }),
    // Brotli and gzip copies of every asset, served as the browser accepts them (server/static).
    precompress({ assetsDir: here('./dist/public/assets') }),
  ],
  build: {
    outDir: here('./dist/public'),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // The widget also runs in the loader's srcdoc iframe, where root-relative preload URLs would
    // resolve against the host page: chunks are imported relative to the module instead, and the
    // loader preloads them itself with their integrity hashes (scripts/widget-pins.ts).
    modulePreload: false,
    rollupOptions: {
      input: {
        widget: here('./client/widget/index.html'),
        console: here('./client/console/index.html'),
      },
      output: {
        codeSplitting: {
          // libsodium-sumo (the console's, ≈ 530 kB minified: WebAssembly as base64 plus its JS API)
          // goes out as two chunks, the core and the wrappers, both shared by the console page and its
          // Argon2id worker and fetched only when the responder starts to use the page. No chunk is
          // over Vite's 500 kB warning, and the standard build (the widget's crypto chunk) is untouched.
          groups: [{ name: 'libsodium-sumo-core', test: /[\\/]node_modules[\\/]libsodium-sumo[\\/]/, includeDependenciesRecursively: false }],
        },
      },
    },
  },
  worker: { format: 'es' },
  test: {
    root: here('.'),
    include: ['{contract,server,crypto,client,test}/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
