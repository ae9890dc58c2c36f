// The organisation key is never opened in a page the server serves: the built console and widget
// (dist/public, what the server sends to browsers; `npm test` builds it first) contain no code that
// opens the sealed organisation key (its seal purpose "org-signing-key:"), no call to fetch it, and no
// signing tool (the ledger's labels). Fails if any console module imports crypto/org-key.ts,
// crypto/org-admin.ts or crypto/ledger.ts again.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ASSETS = 'dist/public/assets';

describe('served pages hold no organisation-key code', () => {
  it('no built script can open, fetch or use the organisation key', () => {
    const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    expect(scripts.some((f) => f.startsWith('console'))).toBe(true);
    const found: string[] = [];
    for (const file of scripts) {
      const text = readFileSync(join(ASSETS, file), 'utf8');
      // Paths as the typed client builds them (`${admin}/org/key`), so the tail is what is looked for.
      for (const marker of ['org-signing-key:', '/org/key', 'ledger-head', 'ledger-entry']) if (text.includes(marker)) found.push(`${file}: ${marker}`);
    }
    expect(found).toEqual([]);
    // What the console does show: the list of what awaits signing.
    expect(scripts.some((f) => readFileSync(join(ASSETS, f), 'utf8').includes('/org/pending'))).toBe(true);
  });
});
