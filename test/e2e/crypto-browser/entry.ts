// Browser entry for the cross-platform protocol cases: bundled by test/e2e/crypto-browser.test.ts into an IIFE.
import { runProtocolCases, type CaseResult } from '../../../crypto/protocol.case.js';
import { loadSodium } from '../../../crypto/sodium-standard.js';

declare global {
  // eslint-disable-next-line no-var
  var runCryptoCases: () => Promise<CaseResult[]>;
}

globalThis.runCryptoCases = async () => {
  await loadSodium();
  return runProtocolCases();
};
