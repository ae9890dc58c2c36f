// Vite plugin: after the clients are written, records the SRI hash of every file the widget loads,
// builds the loader (client/widget/loader.ts) with those hashes baked in as dist/public/loader.js,
// and writes dist/public/widget-manifest.json (the loader's own hash, for the embed snippet).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'vite';

interface Pinned {
  readonly file: string;
  readonly integrity: string;
}

/** What the loader is built with and the snippet generator reads. */
export interface WidgetManifest {
  readonly loader: Pinned;
  /** What the widget loads before it can show its first screen (entry, static imports, CSS); the lazily imported crypto/libsodium chunk is not in it. */
  readonly firstLoad: readonly string[];
  readonly widget: { readonly entry: Pinned; readonly css: readonly Pinned[]; readonly preload: readonly Pinned[] };
}

/** "sha384-<base64>" of some bytes, as Subresource Integrity wants it. */
export function sri(bytes: Uint8Array | string): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

export function widgetPins(options: { loaderEntry: string; entryName?: string }): Plugin {
  const entryName = options.entryName ?? 'widget';
  return {
    name: 'utvag-widget-pins',
    apply: 'build',
    async writeBundle(output, bundle) {
      const dir = output.dir;
      if (dir === undefined) return;
      const chunks = Object.values(bundle).filter((o) => o.type === 'chunk');
      const entry = chunks.find((c) => c.isEntry && c.name === entryName);
      if (entry === undefined) return;
      const pin = (file: string): Pinned => ({ file, integrity: sri(readFileSync(join(dir, file))) });
      // Every chunk the widget can load, statically or lazily (crypto/libsodium), once each.
      const seen = new Set<string>();
      const css = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const chunk = chunks.find((c) => c.fileName === file);
        if (chunk === undefined) return;
        for (const c of (chunk as { viteMetadata?: { importedCss?: Set<string> } }).viteMetadata?.importedCss ?? []) css.add(c);
        for (const f of [...chunk.imports, ...chunk.dynamicImports]) visit(f);
      };
      visit(entry.fileName);
      seen.delete(entry.fileName);
      const firstLoad = new Set<string>([entry.fileName]);
      const visitStatic = (file: string) => {
        const chunk = chunks.find((c) => c.fileName === file);
        for (const f of chunk?.imports ?? []) {
          if (!firstLoad.has(f)) {
            firstLoad.add(f);
            visitStatic(f);
          }
        }
      };
      visitStatic(entry.fileName);
      const widget = { entry: pin(entry.fileName), css: [...css].sort().map(pin), preload: [...seen].sort().map(pin) };

      const tmp = mkdtempSync(join(tmpdir(), 'utvag-loader-'));
      try {
        await build({
          configFile: false,
          logLevel: 'warn',
          define: { __UTVAG_WIDGET__: JSON.stringify(widget) },
          build: {
            outDir: tmp,
            emptyOutDir: true,
            write: true,
            minify: true,
            target: 'es2019',
            lib: { entry: options.loaderEntry, formats: ['iife'], name: 'UtvagLoader', fileName: () => 'loader.js' },
          },
        });
        const loader = readFileSync(join(tmp, 'loader.js'));
        writeFileSync(join(dir, 'loader.js'), loader);
        const manifest: WidgetManifest = { loader: { file: 'loader.js', integrity: sri(loader) }, firstLoad: [...firstLoad, ...css].sort(), widget };
        writeFileSync(join(dir, 'widget-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}
