// Budgets of issue 4 on the built files: the loader ≤ 3 KB gzip, the widget's first load (JS + CSS,
// without the lazily loaded crypto chunk) ≤ 60 KB gzip; the first load holds no libsodium.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIDGET_BUDGETS, measureWidget, runWidgetSizeBench } from '../../../bench/widget-size.js';

describe('widget bundle budgets', () => {
  it('keeps the loader and the first load within budget, libsodium out of the first load', async () => {
    const sizes = measureWidget();
    expect(sizes.loader.gzip).toBeLessThanOrEqual(WIDGET_BUDGETS.loader);
    expect(sizes.firstLoad.gzip).toBeLessThanOrEqual(WIDGET_BUDGETS.firstLoad);
    for (const f of sizes.firstLoad.files) {
      expect(readFileSync(join('dist/public', f.file), 'utf8')).not.toMatch(/crypto_box_easy|libsodium/);
    }
    expect(sizes.lazy.some((f) => /libsodium|crypto_box_easy/.test(readFileSync(join('dist/public', f.file), 'utf8')))).toBe(true);
    expect(await runWidgetSizeBench()).toContain('| loader.js |');
  });

  it('builds the loader with the SRI hash of every widget file it loads', () => {
    const manifest = JSON.parse(readFileSync('dist/public/widget-manifest.json', 'utf8')) as {
      loader: { integrity: string };
      widget: { entry: { file: string; integrity: string }; css: Array<{ integrity: string }>; preload: Array<{ integrity: string }> };
    };
    const loader = readFileSync('dist/public/loader.js', 'utf8');
    for (const pin of [manifest.widget.entry, ...manifest.widget.css, ...manifest.widget.preload]) expect(loader).toContain(pin.integrity);
    expect(manifest.loader.integrity).toMatch(/^sha384-/);
  });
});
