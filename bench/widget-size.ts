// Bundle sizes from the build (dist/public, `npm run build` first): the loader, the widget's first
// load (JS + CSS before the first screen), and the visitor's whole first chat — loader, widget,
// crypto chunk and proof-of-work worker — gzipped, against their budgets; and how many copies of
// libsodium the visitor's files and the console's files carry (one each: issue 18).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budgets in bytes, gzipped (KB = 1024 bytes, as the other budgets): loader and first load (issue 4), the whole first chat (issue 18: 200 KB). */
export const WIDGET_BUDGETS = { loader: 3 * 1024, firstLoad: 60 * 1024, firstChat: 200 * 1024 } as const;

export interface FileSize {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
}

export interface WidgetSizes {
  readonly loader: { readonly raw: number; readonly gzip: number };
  readonly firstLoad: { readonly raw: number; readonly gzip: number; readonly files: readonly FileSize[] };
  readonly lazy: readonly FileSize[];
  /** Workers the widget starts (found by their file names in its chunks). */
  readonly workers: readonly FileSize[];
  /** Everything a visitor downloads for a first chat: loader, first load, lazy chunks, workers. */
  readonly firstChat: { readonly raw: number; readonly gzip: number };
  /** Copies of libsodium in those files. */
  readonly libsodiumCopies: number;
}

const size = (dir: string, file: string): FileSize => {
  const bytes = readFileSync(join(dir, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

/**
 * Copies of libsodium in a text: libsodium.js embeds its WebAssembly module as base64, which starts
 * with "AGFzbQ" ("\0asm"); each build (standard, sumo) carries one.
 */
export const libsodiumCopiesIn = (text: string): number => text.split('AGFzbQ').length - 1;

/** Worker files referenced by the given chunks (`new URL('…-worker-<hash>.js', import.meta.url)`). */
function workersOf(dir: string, files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/[\w.-]*worker[\w.-]*\.js/g)) names.add(m[0]);
  }
  const assets = new Set(readdirSync(join(dir, 'assets')));
  return [...names].filter((n) => assets.has(n)).map((n) => `assets/${n}`);
}

/** Measures the built widget in `dir` (default dist/public). Throws when it is not built. */
export function measureWidget(dir = 'dist/public'): WidgetSizes {
  const manifest = JSON.parse(readFileSync(join(dir, 'widget-manifest.json'), 'utf8')) as {
    firstLoad: string[];
    widget: { preload: Array<{ file: string }> };
  };
  const files = manifest.firstLoad.map((f) => size(dir, f));
  const lazy = manifest.widget.preload.filter((p) => !manifest.firstLoad.includes(p.file)).map((p) => size(dir, p.file));
  const scripts = [...manifest.firstLoad, ...lazy.map((f) => f.file)].filter((f) => f.endsWith('.js'));
  const workers = workersOf(dir, scripts).map((f) => size(dir, f));
  const loader = size(dir, 'loader.js');
  const all = [loader, ...files, ...lazy, ...workers];
  return {
    loader: { raw: loader.raw, gzip: loader.gzip },
    firstLoad: { raw: files.reduce((a, f) => a + f.raw, 0), gzip: files.reduce((a, f) => a + f.gzip, 0), files },
    lazy,
    workers,
    firstChat: { raw: all.reduce((a, f) => a + f.raw, 0), gzip: all.reduce((a, f) => a + f.gzip, 0) },
    libsodiumCopies: all.reduce((n, f) => n + libsodiumCopiesIn(readFileSync(join(dir, f.file), 'utf8')), 0),
  };
}

/** The console's scripts (its entry chunk, what that imports, its workers) and their libsodium copies. */
export function measureConsole(dir = 'dist/public'): { readonly files: readonly FileSize[]; readonly gzip: number; readonly libsodiumCopies: number } {
  const html = readFileSync(join(dir, 'console/index.html'), 'utf8');
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dir, file), 'utf8');
    // Static and dynamic imports of sibling chunks, and worker URLs.
    for (const m of text.matchAll(/["'`](?:\.\/|\/assets\/)?([\w.-]+\.js)["'`]/g)) {
      const name = `assets/${m[1]}`;
      try {
        readFileSync(join(dir, name));
        visit(name);
      } catch {
        // not one of ours
      }
    }
  };
  for (const m of html.matchAll(/\/(assets\/[\w.-]+\.js)/g)) visit(m[1] as string);
  const files = [...seen].map((f) => size(dir, f));
  return {
    files,
    gzip: files.reduce((a, f) => a + f.gzip, 0),
    libsodiumCopies: files.reduce((n, f) => n + libsodiumCopiesIn(readFileSync(join(dir, f.file), 'utf8')), 0),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The BENCHMARKS.md section; fails (exit code 1) when the visitor's first chat is over its budget or carries libsodium twice. */
export async function runWidgetSizeBench(): Promise<string> {
  const s = measureWidget();
  const c = measureConsole();
  const row = (name: string, raw: number, gzip: number, budget?: number, unit = kb) =>
    `| ${name} | ${kb(raw)} | ${kb(gzip)} | ${budget === undefined ? '—' : `${unit(budget)} ${gzip <= budget ? '✓' : '✗ over'}`} |`;
  const over = s.firstChat.gzip > WIDGET_BUDGETS.firstChat || s.libsodiumCopies !== 1;
  if (over) process.exitCode = 1;
  return [
    '## Widget bundle sizes',
    '',
    'Gzip level 9 of the built files (`dist/public`). The first load is what the widget needs before its first screen; the crypto chunk (libsodium) loads in parallel and is pinned by the loader like the rest; the proof-of-work worker hashes with its own BLAKE2b (crypto/blake2b.ts) instead of a second libsodium. "First chat" is everything a visitor downloads from a QR scan to the first message: loader, first load, crypto chunk and worker (budget 200 KiB, `npm run bench -- widget` fails above it).',
    '',
    '| file | raw | gzip | budget |',
    '|---|---|---|---|',
    row('loader.js', s.loader.raw, s.loader.gzip, WIDGET_BUDGETS.loader),
    row('widget first load (JS + CSS)', s.firstLoad.raw, s.firstLoad.gzip, WIDGET_BUDGETS.firstLoad),
    ...s.firstLoad.files.map((f) => row(`  ${f.file}`, f.raw, f.gzip)),
    ...s.lazy.map((f) => row(`${f.file} (lazy)`, f.raw, f.gzip)),
    ...s.workers.map((f) => row(`${f.file} (worker)`, f.raw, f.gzip)),
    row("**visitor's first chat** (loader + widget + crypto + worker)", s.firstChat.raw, s.firstChat.gzip, WIDGET_BUDGETS.firstChat),
    '',
    `Copies of libsodium: **${s.libsodiumCopies}** in the visitor's files (\`test/bundle/libsodium-once.test.ts\` fails on a second), **${c.libsodiumCopies}** in the console's (${c.files.map((f) => f.file).join(', ')}; ${kb(c.gzip)} gzip).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWidgetSizeBench().then((md) => process.stdout.write(`${md}\n`));
}
