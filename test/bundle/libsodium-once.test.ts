// The visitor downloads libsodium once (issue 18): across everything the built widget loads for a
// first chat — loader, first load, the crypto chunk and the proof-of-work worker — exactly one copy
// of libsodium, and the whole first chat within 200 KiB gzip (KB = 1024 bytes, as the other widget budgets). A worker (or any chunk) that bundled
// its own libsodium again would count a second copy here. Reads the build (`npm run build`, which
// `npm test` runs first), like test/e2e/widget/size.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIDGET_BUDGETS, libsodiumCopiesIn, measureWidget } from '../../bench/widget-size.js';

describe("the visitor's bundle", () => {
  it('carries exactly one copy of libsodium, and the proof-of-work worker none', () => {
    const sizes = measureWidget();
    expect(sizes.workers.map((w) => w.file)).toEqual([expect.stringMatching(/^assets\/pow-worker-[\w-]+\.js$/)]);
    for (const worker of sizes.workers) expect(libsodiumCopiesIn(readFileSync(join('dist/public', worker.file), 'utf8')), worker.file).toBe(0);
    expect(sizes.libsodiumCopies).toBe(1);
  });

  it('holds the whole first chat (loader, widget, crypto, worker) within 200 KiB gzip', () => {
    expect(measureWidget().firstChat.gzip).toBeLessThanOrEqual(WIDGET_BUDGETS.firstChat);
  });

  it('counts a copy wherever libsodium is bundled (the check can fail)', () => {
    const crypto = measureWidget().lazy.find((f) => /crypto-/.test(f.file));
    expect(crypto).toBeDefined();
    const text = readFileSync(join('dist/public', crypto?.file ?? ''), 'utf8');
    expect(libsodiumCopiesIn(text)).toBe(1);
    expect(libsodiumCopiesIn(text + text)).toBe(2);
  });
});
