// Widget bundle sizes from the build (dist/public, `npm run build` first): the loader and the widget's
// first load (JS + CSS before the first screen, without the lazily loaded crypto/libsodium chunk),
// gzipped, against the budgets of issue 4.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budgets in bytes, gzipped. */
export const WIDGET_BUDGETS = { loader: 3 * 1024, firstLoad: 60 * 1024 } as const;

export interface WidgetSizes {
  readonly loader: { readonly raw: number; readonly gzip: number };
  readonly firstLoad: { readonly raw: number; readonly gzip: number; readonly files: ReadonlyArray<{ file: string; raw: number; gzip: number }> };
  readonly lazy: ReadonlyArray<{ file: string; raw: number; gzip: number }>;
}

const size = (dir: string, file: string) => {
  const bytes = readFileSync(join(dir, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

/** Measures the built widget in `dir` (default dist/public). Throws when it is not built. */
export function measureWidget(dir = 'dist/public'): WidgetSizes {
  const manifest = JSON.parse(readFileSync(join(dir, 'widget-manifest.json'), 'utf8')) as {
    firstLoad: string[];
    widget: { preload: Array<{ file: string }> };
  };
  const files = manifest.firstLoad.map((f) => size(dir, f));
  const lazy = manifest.widget.preload.filter((p) => !manifest.firstLoad.includes(p.file)).map((p) => size(dir, p.file));
  const loader = size(dir, 'loader.js');
  return {
    loader: { raw: loader.raw, gzip: loader.gzip },
    firstLoad: { raw: files.reduce((a, f) => a + f.raw, 0), gzip: files.reduce((a, f) => a + f.gzip, 0), files },
    lazy,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The BENCHMARKS.md section. */
export async function runWidgetSizeBench(): Promise<string> {
  const s = measureWidget();
  const row = (name: string, raw: number, gzip: number, budget?: number) =>
    `| ${name} | ${kb(raw)} | ${kb(gzip)} | ${budget === undefined ? '—' : `${kb(budget)} ${gzip <= budget ? '✓' : '✗ over'}`} |`;
  return [
    '## Widget bundle sizes',
    '',
    'Gzip level 9 of the built files (`dist/public`). The first load is what the widget needs before its first screen; the crypto chunk (libsodium) loads in parallel and is pinned by the loader like the rest.',
    '',
    '| file | raw | gzip | budget |',
    '|---|---|---|---|',
    row('loader.js', s.loader.raw, s.loader.gzip, WIDGET_BUDGETS.loader),
    row('widget first load (JS + CSS)', s.firstLoad.raw, s.firstLoad.gzip, WIDGET_BUDGETS.firstLoad),
    ...s.firstLoad.files.map((f) => row(`  ${f.file}`, f.raw, f.gzip)),
    ...s.lazy.map((f) => row(`${f.file} (lazy)`, f.raw, f.gzip)),
  ].join('\n');
}
