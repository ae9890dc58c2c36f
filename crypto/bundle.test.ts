// The widget entry (crypto/index.ts) must bundle without the sumo build, and stay small.
import { describe, expect, it } from 'vitest';
import { measureBundle } from '../bench/crypto.js';

describe('widget bundle of crypto/index.ts', () => {
  it('contains the standard libsodium build only and adds little of its own', async () => {
    const size = await measureBundle();
    expect(size.containsSumo).toBe(false);
    expect(size.gzipBytes).toBeLessThan(175 * 1024); // libsodium standard ≈ 147 KiB + our code
    expect(size.gzipWithoutSodium).toBeLessThan(20 * 1024);
  }, 60_000);
});
