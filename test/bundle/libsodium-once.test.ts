// The visitor and the console each download libsodium once (issue 18): across everything the built widget loads for a
// first chat — loader, first load, the crypto chunk and the proof-of-work worker — exactly one copy
// of libsodium, and the whole first chat within 200 KiB gzip (KB = 1024 bytes, as the other widget budgets). A worker (or any chunk) that bundled
// its own libsodium again would count a second copy here. Reads the build (`npm run build`, which
// `npm test` runs first), like test/e2e/widget/size.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WIDGET_BUDGETS, chunksOver, libsodiumCopiesIn, measureConsole, measureWidget } from '../../bench/widget-size.js';

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
    const crypto = widgetCryptoChunk();
    expect(crypto).toBeDefined();
    const text = readFileSync(join('dist/public', crypto?.file ?? ''), 'utf8');
    expect(libsodiumCopiesIn(text)).toBe(1);
    expect(libsodiumCopiesIn(text + text)).toBe(2);
  });
});

/** The widget's lazy chunk that carries libsodium (crypto/visitor.ts and what it names), whatever Vite calls it. */
function widgetCryptoChunk(): { file: string } | undefined {
  return measureWidget().lazy.find((f) => libsodiumCopiesIn(readFileSync(join('dist/public', f.file), 'utf8')) > 0);
}

// The console downloads libsodium once too (issue 18.5): the sumo build only (not also the widget's
// standard one), in chunks that the page and its Argon2id worker both import, and not before the
// login screen is shown (issue 19: /console's first load).
describe("the console's bundle", () => {
  it('carries exactly one copy of libsodium, and the Argon2id worker imports the page’s copy instead of its own', () => {
    const c = measureConsole();
    expect(c.libsodiumCopies).toBe(1);
    const withCopy = c.files.filter((f) => libsodiumCopiesIn(readFileSync(join('dist/public', f.file), 'utf8')) > 0).map((f) => f.file);
    expect(withCopy).toHaveLength(1);
    expect(c.worker).not.toBeNull();
    expect(libsodiumCopiesIn(readFileSync(join('dist/public', c.worker?.file ?? ''), 'utf8'))).toBe(0);
    expect(c.worker?.closure).toContain(withCopy[0]);
    // Not the widget's standard build: the widget's crypto chunk is none of the console's files.
    const widgetCrypto = widgetCryptoChunk()?.file;
    expect(c.files.map((f) => f.file)).not.toContain(widgetCrypto);
  });

  it('shows the login screen without libsodium', () => {
    const c = measureConsole();
    expect(c.firstLoad.libsodiumCopies).toBe(0);
    expect(c.firstLoad.gzip).toBeLessThan(80 * 1024);
  });

  it('has no chunk over Vite’s 500 kB warning', () => {
    expect(chunksOver().map((f) => `${f.file} ${f.raw}`)).toEqual([]);
  });
});
