// `npm run lighthouse` (after `npm run build`): starts the server as the browser tests do (built
// clients, in-memory store, demo organisation), runs Lighthouse (mobile, simulated slow 4G) with
// Debian's Chromium on the QR page and the console's login screen, and prints performance,
// accessibility and best-practices scores. No network beyond 127.0.0.1.
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_PATH } from '../test/support/chromium.js';
import { startE2eServer } from '../test/support/e2e-server.js';

export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Scores = Record<(typeof LIGHTHOUSE_CATEGORIES)[number], number> & {
  /** Accessibility and best-practices audits that did not pass, with what they found (to say why a score fell). */
  readonly failing: readonly string[];
};

/** The weighted audits of the accessibility and best-practices categories that scored below 1. */
function failingAudits(lhr: { categories: Record<string, { auditRefs: { id: string; weight: number }[] } | undefined>; audits: Record<string, { score: number | null; details?: unknown } | undefined> }): string[] {
  const out: string[] = [];
  for (const category of ['accessibility', 'best-practices']) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (ref.weight === 0 || audit === undefined || audit.score === null || audit.score >= 1) continue;
      const items = (audit.details as { items?: unknown[] } | undefined)?.items ?? [];
      out.push(`${ref.id}: ${JSON.stringify(items.slice(0, 3)).slice(0, 400)}`);
    }
  }
  return out;
}

/** Lighthouse scores (0–1) of each path on a freshly started server. */
export async function runLighthouse(paths: readonly string[] = ['/c/lighthouse', '/console']): Promise<Map<string, Scores>> {
  const server = await startE2eServer({ sources: ['lighthouse'] });
  const chrome = await launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    logLevel: 'silent',
  });
  const scores = new Map<string, Scores>();
  try {
    for (const path of paths) {
      const result = await lighthouse(`${server.url}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...LIGHTHOUSE_CATEGORIES] });
      if (result === undefined) throw new Error(`lighthouse returned nothing for ${path}`);
      const categories = result.lhr.categories;
      const values = Object.fromEntries(LIGHTHOUSE_CATEGORIES.map((c) => [c, categories[c]?.score ?? 0])) as Record<(typeof LIGHTHOUSE_CATEGORIES)[number], number>;
      const runtimeError = (result.lhr as { runtimeError?: { code: string; message: string } }).runtimeError;
      const failing = failingAudits(result.lhr as unknown as Parameters<typeof failingAudits>[0]);
      if (runtimeError !== undefined) failing.unshift(`runtime error ${runtimeError.code}: ${runtimeError.message}`);
      scores.set(path, { ...values, failing });
    }
  } finally {
    chrome.kill();
    await server.stop();
  }
  return scores;
}

if (process.argv[1]?.endsWith('lighthouse.ts')) {
  const scores = await runLighthouse();
  process.stdout.write('| page | performance | accessibility | best practices |\n|---|---|---|---|\n');
  for (const [path, s] of scores) process.stdout.write(`| \`${path}\` | ${s.performance.toFixed(2)} | ${s.accessibility.toFixed(2)} | ${s['best-practices'].toFixed(2)} |\n`);
  process.exit(0);
}
