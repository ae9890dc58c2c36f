// Local secrets (the console's own storage): round trip, and every change is refused with Tampered.
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from './error-code.case.js';
import { CryptoErrorCode } from './errors.js';
import { seededRandom } from './random.js';
import { openLocalSecret, sealLocalSecret } from './session-state.js';
import { loadSodium } from './sodium-standard.js';

await loadSodium();
const random = seededRandom('local-secret-test');
const key = random(32);
const secret = random(32);

const codeOf = errorCodeOf;

describe('sealLocalSecret / openLocalSecret', () => {
  it('round-trips and hides the secret', () => {
    const wire = sealLocalSecret(key, 'resume-psk', secret, random);
    expect(Buffer.from(wire).includes(Buffer.from(secret))).toBe(false);
    expect(openLocalSecret(key, 'resume-psk', wire)).toEqual(secret);
  });

  it('refuses another key, another purpose and any changed byte', () => {
    const wire = sealLocalSecret(key, 'resume-psk', secret, random);
    expect(codeOf(() => openLocalSecret(random(32), 'resume-psk', wire))).toBe(CryptoErrorCode.Tampered);
    expect(codeOf(() => openLocalSecret(key, 'other', wire))).toBe(CryptoErrorCode.Tampered);
    for (let i = 2; i < wire.length; i += 1) {
      const changed = wire.slice();
      changed[i] = (changed[i] ?? 0) ^ 1;
      expect(codeOf(() => openLocalSecret(key, 'resume-psk', changed))).not.toBe('ok');
    }
    expect(codeOf(() => sealLocalSecret(new Uint8Array(16), 'resume-psk', secret))).toBe(CryptoErrorCode.Malformed);
  });
});
