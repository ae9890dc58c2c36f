// The sumo entry (the console's) exposes the widget API (but the standard build's loader: the
// console loads sumo only) plus Argon2id; loading sumo upgrades the shared instance.
import { describe, expect, it } from 'vitest';
import * as consoleApi from './api-sumo.js';
import * as widgetApi from './index.js';

describe('entries', () => {
  it('console re-exports the widget API and adds the password functions', async () => {
    for (const name of Object.keys(widgetApi)) if (name !== 'loadSodium') expect(consoleApi).toHaveProperty(name);
    expect(consoleApi).not.toHaveProperty('loadSodium');
    expect(widgetApi).not.toHaveProperty('deriveLoginKeys');
    // Before loading, what needs libsodium refuses (powSolve no longer does: crypto/blake2b.ts).
    expect(() => widgetApi.powVerify(new Uint8Array(16), 1, new Uint8Array(8))).toThrowError(/NotReady/);
    await consoleApi.loadSumoSodium();
    expect(consoleApi.sodiumVariant()).toBe('sumo');
    await widgetApi.loadSodium();
    expect(widgetApi.sodiumVariant()).toBe('sumo'); // never downgrades
    expect(consoleApi.deriveLoginKeys('pw', new Uint8Array(16)).authKey).toHaveLength(32);
  });
});
