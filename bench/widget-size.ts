// Bundle sizes from the build (dist/public, `npm run build` first): the loader, the widget's first
// load (JS + CSS before the first screen), and the visitor's whole first chat — loader, widget,
// crypto chunk and proof-of-work worker — gzipped, against their budgets; and how many copies of
// libsodium the visitor's files and the console's files carry (one each: issue 18).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * The chunks `file` imports (in `dir`, as `assets/<name>.js`): static imports only, or also dynamic
 * imports and worker URLs (any quoted sibling chunk name), transitively, `file` included.
 */
export function importClosure(dir: string, file: string, options: { dynamic: boolean }): string[] {
  const seen = new Set<string>();
  const pattern = options.dynamic ? /["'`](?:\.\/|\/assets\/)?([\w.-]+\.js)["'`]/g : /(?:from|import)\s*["'](?:\.\/|\/assets\/)?([\w.-]+\.js)["']/g;
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const m of readFileSync(join(dir, name), 'utf8').matchAll(pattern)) {
      const next = `assets/${m[1]}`;
      if (existsSync(join(dir, next))) visit(next);
    }
  };
  visit(file);
  return [...seen];
}

export interface ConsoleSizes {
  /** Every script the console may load: its entry, what that imports (also dynamically), its workers. */
  readonly files: readonly FileSize[];
  readonly gzip: number;
  readonly libsodiumCopies: number;
  /** What the login screen needs: the entry's static imports (and its CSS). */
  readonly firstLoad: { readonly gzip: number; readonly files: readonly FileSize[]; readonly libsodiumCopies: number };
  /** The Argon2id worker and every chunk it imports. */
  readonly worker: { readonly file: string; readonly closure: readonly string[] } | null;
}

/** The console's scripts (its entry chunk, what that imports, its workers) and their libsodium copies. */
export function measureConsole(dir = 'dist/public'): ConsoleSizes {
  const html = readFileSync(join(dir, 'console/index.html'), 'utf8');
  const entries = [...html.matchAll(/\/(assets\/[\w.-]+\.js)/g)].map((m) => m[1] as string);
  const css = [...html.matchAll(/\/(assets\/[\w.-]+\.css)/g)].map((m) => m[1] as string);
  const all = [...new Set(entries.flatMap((e) => importClosure(dir, e, { dynamic: true })))];
  const first = [...new Set(entries.flatMap((e) => importClosure(dir, e, { dynamic: false })))];
  const copies = (files: readonly string[]) => files.reduce((n, f) => n + libsodiumCopiesIn(readFileSync(join(dir, f), 'utf8')), 0);
  const files = all.map((f) => size(dir, f));
  const firstFiles = [...first, ...css].map((f) => size(dir, f));
  const worker = all.find((f) => /password-worker/.test(f)) ?? null;
  return {
    files,
    gzip: files.reduce((a, f) => a + f.gzip, 0),
    libsodiumCopies: copies(all),
    firstLoad: { gzip: firstFiles.reduce((a, f) => a + f.gzip, 0), files: firstFiles, libsodiumCopies: copies(first) },
    worker: worker === null ? null : { file: worker, closure: importClosure(dir, worker, { dynamic: true }) },
  };
}

/** Built scripts over Vite's chunk size warning (500 kB of code). */
export function chunksOver(limitBytes = 500_000, dir = 'dist/public'): FileSize[] {
  return readdirSync(join(dir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => size(dir, `assets/${f}`))
    .filter((f) => f.raw > limitBytes);
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
    `Copies of libsodium: **${s.libsodiumCopies}** in the visitor's files (\`test/bundle/libsodium-once.test.ts\` fails on a second), **${c.libsodiumCopies}** in the console's (sumo, shared by the page and its Argon2id worker).`,
    '',
    '### Console',
    '',
    "The login screen loads the entry's static imports only; libsodium-sumo (core and wrappers, two chunks) is fetched at the first interaction and by the Argon2id worker, which is a chunk of the same build importing the same files (scripts/worker-chunk.ts).",
    '',
    '| file | raw | gzip | budget |',
    '|---|---|---|---|',
    row('**login screen** (entry + static imports + CSS)', c.firstLoad.files.reduce((a, f) => a + f.raw, 0), c.firstLoad.gzip),
    ...c.firstLoad.files.map((f) => row(`  ${f.file}`, f.raw, f.gzip)),
    ...c.files.filter((f) => !c.firstLoad.files.some((x) => x.file === f.file)).map((f) => row(`${f.file} (later)`, f.raw, f.gzip)),
    row('**everything the console may load**', c.files.reduce((a, f) => a + f.raw, 0), c.gzip),
    '',
    `Chunks over Vite's 500 kB warning: ${chunksOver().map((f) => f.file).join(', ') || 'none'}.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWidgetSizeBench().then((md) => process.stdout.write(`${md}\n`));
}
