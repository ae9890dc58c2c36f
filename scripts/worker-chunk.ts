// Builds a module Worker as a chunk of the main build instead of a bundle of its own, so the worker and
// the page share chunks: the console's Argon2id worker (crypto/password-worker.ts) imports the very
// libsodium-sumo chunk the console page imports, and the browser downloads sumo once (issue 18).
//
// Vite bundles `new Worker(new URL('./w.ts', import.meta.url), { type: 'module' })` separately, with
// its own copy of every dependency. For the workers listed here this plugin (build only; the dev server
// and Vitest keep Vite's handling) replaces that `new URL(…)` with the URL of a chunk it emits into the
// main graph (`import.meta.ROLLUP_FILE_URL_<ref>`), before Vite's worker plugin sees it.
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';

const WORKER_URL = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

export function workerChunks(options: { workers: readonly string[] }): Plugin {
  const workers = new Set(options.workers.map((w) => resolve(w)));
  return {
    name: 'utvag-worker-chunks',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!code.includes('import.meta.url')) return null;
      let changed = false;
      const out = code.replace(WORKER_URL, (whole, _quote: string, relative: string) => {
        const file = resolve(dirname(id.split('?')[0] as string), relative);
        if (!workers.has(file)) return whole;
        changed = true;
        const ref = this.emitFile({ type: 'chunk', id: file, name: file.replace(/^.*\//, '').replace(/\.[tj]s$/, '') });
        return `import.meta.ROLLUP_FILE_URL_${ref}`;
      });
      return changed ? { code: out, map: null } : null;
    },
  };
}
