import { describe, expect, it } from 'vitest';
import { checkPhone } from './phone.js';

describe('checkPhone', () => {
  it('accepts Swedish and international numbers and normalises to E.164', () => {
    expect(checkPhone('070-123 45 67')).toEqual({ ok: true, e164: '+46701234567' });
    expect(checkPhone('0701234567')).toEqual({ ok: true, e164: '+46701234567' });
    expect(checkPhone('+46 70 123 45 67')).toEqual({ ok: true, e164: '+46701234567' });
    expect(checkPhone('+46 (0)70 123 45 67')).toEqual({ ok: true, e164: '+46701234567' });
    expect(checkPhone('0046701234567')).toEqual({ ok: true, e164: '+46701234567' });
    expect(checkPhone('08-123 456 78')).toEqual({ ok: true, e164: '+46812345678' });
    expect(checkPhone('+44 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
    expect(checkPhone('0047 912 34 567')).toEqual({ ok: true, e164: '+4791234567' });
  });
  it('rejects what cannot be a number', () => {
    for (const bad of ['', '12', '070123', '07012345678910', 'abc', '+0 123 456', '+1 23', '070-12a 45 67', '0801234567890', '+4670']) {
      expect(checkPhone(bad)).toEqual({ ok: false });
    }
  });
});
