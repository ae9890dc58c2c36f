// Runs crypto/protocol.case.ts in real Chromium: bundled with vite (IIFE, offline) and injected into a blank page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../../crypto/protocol.case.js';
import { protocolCases } from '../../crypto/protocol.case.js';
import { deriveLoginKeys } from '../../crypto/password.js';
import { powSolve } from '../../crypto/pow.js';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';
import { launchChromium } from '../support/chromium.js';

const entry = fileURLToPath(new URL('./crypto-browser/entry.ts', import.meta.url));
const powWorker = fileURLToPath(new URL('../../crypto/pow-worker.ts', import.meta.url));
const passwordWorker = fileURLToPath(new URL('../../crypto/password-worker.ts', import.meta.url));

/** Bundles `file` into one self-contained IIFE script (no imports, no network) and returns its text. */
async function bundleIife(file: string, outDir: string): Promise<string> {
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      write: true,
      minify: false,
      target: 'es2022',
      lib: { entry: file, formats: ['iife'], name: 'UtvagBundle', fileName: () => 'bundle.js' },
    },
  });
  return readFileSync(join(outDir, 'bundle.js'), 'utf8');
}

/** In the page: runs `code` as a Web Worker (from a blob URL), posts `request`, resolves with the first reply. */
function runWorker(args: { code: string; request: unknown }): Promise<unknown> {
  const url = URL.createObjectURL(new Blob([args.code], { type: 'text/javascript' }));
  const worker = new Worker(url);
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(args.request);
  });
}

describe('crypto protocol cases in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let results: CaseResult[];
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'utvag-crypto-browser-'));
    const script = await bundleIife(entry, dir);
    browser = await launchChromium();
    page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent('<!doctype html><title>crypto cases</title>');
    await page.addScriptTag({ content: script });
    results = await page.evaluate(() => globalThis.runCryptoCases());
    expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ran every case', () => {
    expect(results.map((r) => r.name)).toEqual(protocolCases.map((c) => c.name));
  });

  it('solves proof of work in a Web Worker (crypto/pow-worker.ts), same nonce as Node', async () => {
    await loadSodium();
    const code = await bundleIife(powWorker, join(dir, 'pow'));
    const challenge = Array.from({ length: 16 }, (_, i) => i);
    const reply = (await page.evaluate(runWorker, { code, request: { challenge: new Uint8Array(challenge), difficultyBits: 14 } })) as { nonce?: Record<string, number> };
    expect(Object.values(reply.nonce ?? {})).toEqual(Array.from(powSolve(Uint8Array.from(challenge), 14)));
  }, 60_000);

  it('derives login keys with Argon2id in a Web Worker (crypto/password-worker.ts), same keys as Node', async () => {
    await loadSumoSodium();
    const code = await bundleIife(passwordWorker, join(dir, 'password'));
    const salt = Array.from({ length: 16 }, (_, i) => 100 + i);
    const reply = (await page.evaluate(runWorker, { code, request: { password: 'lösenord', salt: new Uint8Array(salt) } })) as {
      keys?: { authKey: Record<string, number>; wrapKey: Record<string, number> };
    };
    const expected = deriveLoginKeys('lösenord', Uint8Array.from(salt));
    expect(Object.values(reply.keys?.authKey ?? {})).toEqual(Array.from(expected.authKey));
    expect(Object.values(reply.keys?.wrapKey ?? {})).toEqual(Array.from(expected.wrapKey));
  }, 60_000);

  for (const c of protocolCases) {
    it(c.name, () => {
      const r = results.find((x) => x.name === c.name);
      expect(r?.error ?? '').toBe('');
      expect(r?.ok).toBe(true);
    });
  }
});
