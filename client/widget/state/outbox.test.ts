// Unacknowledged envelopes: kept until delivered, resent unchanged (same cid) one by one or all.
import { describe, expect, it } from 'vitest';
import { createOutbox, type OutgoingEnvelope } from './outbox.js';

describe('outbox', () => {
  it('sends at once, keeps until delivered, and resends the very same envelope', () => {
    const sent: OutgoingEnvelope[] = [];
    const outbox = createOutbox((e) => sent.push(e));
    const a: OutgoingEnvelope = { cid: 'a', kind: 'message', body: 'AAA' };
    const b: OutgoingEnvelope = { cid: 'b', kind: 'close', body: 'BBB' };
    outbox.send(a);
    outbox.send(b);
    expect(sent).toEqual([a, b]);
    expect(outbox.resend('a')).toBe(true);
    expect(sent.at(-1)).toBe(a);
    outbox.delivered('a');
    expect(outbox.has('a')).toBe(false);
    expect(outbox.resend('a')).toBe(false);
    sent.length = 0;
    outbox.resendAll();
    expect(sent).toEqual([b]);
  });
});
