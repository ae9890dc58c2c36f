// `npm run lighthouse` from the suite: Lighthouse (mobile, simulated slow 4G) with Debian's Chromium
// against a started server, on the QR page and the console's login screen. Accessibility and best
// practices must be perfect or nearly. Performance is printed, not asserted: under simulated
// throttling it scales with this machine's load (a run at load 15 on 2 cores gave 0.87 and 0.75 for
// pages that score 0.97-0.99 and 0.90-0.94 on a calmer machine), and a flaky test blocks everyone.
import { describe, expect, it } from 'vitest';
import { runLighthouse, type Scores } from '../../scripts/lighthouse.js';

// A page that misses once is measured once more, alone: in a full suite on 2 cores a best-practices
// audit (a console error from a request the loaded machine timed out) fell once where quiet runs are
// perfect; a real defect misses twice, and the failure names the audits that found it.
const passes = (s: Scores): boolean => s.accessibility >= 0.95 && s['best-practices'] >= 0.95;

describe('Lighthouse', () => {
  it('scores the QR page and the console login screen', { timeout: 300_000 }, async () => {
    const scores = await runLighthouse(['/c/lighthouse', '/console']);
    for (const [path, first] of scores) {
      let s = first;
      if (!passes(s)) {
        process.stdout.write(`lighthouse ${path}: missed once (accessibility ${s.accessibility}, best practices ${s['best-practices']}; ${s.failing.join(' | ')}), measuring again\n`);
        s = (await runLighthouse([path])).get(path) ?? s;
      }
      expect({ path, accessibility: s.accessibility >= 0.95, bestPractices: s['best-practices'] >= 0.95 }, s.failing.join(' | ')).toEqual({
        path,
        accessibility: true,
        bestPractices: true,
      });
      process.stdout.write(`lighthouse ${path}: performance ${s.performance.toFixed(2)}\n`);
    }
  });
});
