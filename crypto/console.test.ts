// The console entry exposes the widget API plus Argon2id; loading sumo upgrades the shared instance.
import { describe, expect, it } from 'vitest';
import * as consoleApi from './console.js';
import * as widgetApi from './index.js';

describe('entries', () => {
  it('console re-exports the widget API and adds the password functions', async () => {
    for (const name of Object.keys(widgetApi)) expect(consoleApi).toHaveProperty(name);
    expect(widgetApi).not.toHaveProperty('deriveLoginKeys');
    expect(() => widgetApi.powSolve(new Uint8Array(16), 1)).toThrowError(/NotReady/);
    await consoleApi.loadSumoSodium();
    expect(consoleApi.sodiumVariant()).toBe('sumo');
    await widgetApi.loadSodium();
    expect(widgetApi.sodiumVariant()).toBe('sumo'); // never downgrades
    expect(consoleApi.deriveLoginKeys('pw', new Uint8Array(16)).authKey).toHaveLength(32);
  });
});
