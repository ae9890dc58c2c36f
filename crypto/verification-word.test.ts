import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';
import { loadSodium } from './sodium-standard.js';
import { VERIFICATION_WORDS, generateVerificationWord } from './verification-word.js';

describe('verification words', () => {
  beforeAll(async () => {
    await loadSodium();
  });
  it('draws two of 64 distinct words', () => {
    expect(new Set(VERIFICATION_WORDS).size).toBe(64);
    const random = seededRandom('words');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const [a, b, ...rest] = generateVerificationWord(random).split(' ');
      expect(rest).toEqual([]);
      expect(VERIFICATION_WORDS).toContain(a);
      expect(VERIFICATION_WORDS).toContain(b);
      seen.add(a as string);
    }
    expect(seen.size).toBeGreaterThan(40);
  });
});
