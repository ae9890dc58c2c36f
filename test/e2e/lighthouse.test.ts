// `npm run lighthouse` from the suite: Lighthouse (mobile, simulated slow 4G) with Debian's Chromium
// against a started server, on the QR page and the console's login screen. Accessibility and best
// practices must be perfect or nearly. Performance is printed, not asserted: under simulated
// throttling it scales with this machine's load (a run at load 15 on 2 cores gave 0.87 and 0.75 for
// pages that score 0.97-0.99 and 0.90-0.94 on a calmer machine), and a flaky test blocks everyone.
import { describe, expect, it } from 'vitest';
import { runLighthouse } from '../../scripts/lighthouse.js';

describe('Lighthouse', () => {
  it('scores the QR page and the console login screen', { timeout: 180_000 }, async () => {
    const scores = await runLighthouse(['/c/lighthouse', '/console']);
    for (const [path, s] of scores) {
      expect({ path, accessibility: s.accessibility >= 0.95, bestPractices: s['best-practices'] >= 0.95 }).toEqual({ path, accessibility: true, bestPractices: true });
      process.stdout.write(`lighthouse ${path}: performance ${s.performance.toFixed(2)}\n`);
    }
  });
});
