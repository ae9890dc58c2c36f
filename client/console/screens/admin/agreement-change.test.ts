// Each step of an overflow agreement changes only its own partner's entry and keeps the others.
import { describe, expect, it } from 'vitest';
import { agreementCall } from './agreement-change.js';

const org = { acceptsOverflowFrom: ['huddinge', 'botkyrka'], asksOverflowTo: ['regionen'] };

describe('agreement steps', () => {
  it('accepting and ending touch the receiving half only, and only that partner', () => {
    expect(agreementCall(org, 'salem', 'accept')).toEqual({ path: '/api/v1/admin/organisation/overflow', body: { acceptsOverflowFrom: ['huddinge', 'botkyrka', 'salem'] } });
    expect(agreementCall(org, 'huddinge', 'accept').body).toEqual({ acceptsOverflowFrom: ['huddinge', 'botkyrka'] });
    expect(agreementCall(org, 'huddinge', 'end')).toEqual({ path: '/api/v1/admin/organisation/overflow', body: { acceptsOverflowFrom: ['botkyrka'] } });
  });

  it('asking and withdrawing touch the sending half only', () => {
    expect(agreementCall(org, 'botkyrka', 'ask')).toEqual({ path: '/api/v1/admin/organisation/overflow-requests', body: { asksOverflowTo: ['regionen', 'botkyrka'] } });
    expect(agreementCall(org, 'regionen', 'withdraw')).toEqual({ path: '/api/v1/admin/organisation/overflow-requests', body: { asksOverflowTo: [] } });
  });
});
