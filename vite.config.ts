// Builds the browser clients (widget, console) into dist/public and configures Vitest for the repo.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./client'),
  base: '/',
  plugins: [preact()],
  build: {
    outDir: here('./dist/public'),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    rollupOptions: {
      input: {
        widget: here('./client/widget/index.html'),
        console: here('./client/console/index.html'),
      },
    },
  },
  worker: { format: 'es' },
  test: {
    root: here('.'),
    include: ['{server,crypto,client,test}/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
