// Runs the cross-platform protocol cases in Node (the same file runs in Chromium via test/e2e/crypto-browser.test.ts).
import { beforeAll, describe, it } from 'vitest';
import { protocolCases } from './protocol.case.js';
import { loadSodium } from './sodium-standard.js';

describe('protocol cases (node)', () => {
  beforeAll(async () => {
    await loadSodium();
  });
  for (const c of protocolCases) it(c.name, () => c.run());
});
