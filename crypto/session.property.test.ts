// Property tests: random interleavings of sends, deliveries, drops, duplicates, reorderings, reflections and tampering.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoErrorCode, isCryptoError } from './errors.js';
import { NOW, startConversation, type TestConversation } from './fixtures.case.js';
import { seededRandom } from './random.js';
import { decryptMessage, encryptMessage, type SessionLimits, type SessionState } from './session.js';
import { serializeSession } from './session-state.js';
import { loadSodium } from './sodium-standard.js';

type Side = 'v' | 'r';
type Op =
  | { op: 'send'; from: Side }
  | { op: 'deliver'; from: Side; pick: number }
  | { op: 'reflect'; from: Side; pick: number }
  | { op: 'tamper'; from: Side; pick: number; at: number }
  | { op: 'tick'; ms: number };

const side = fc.constantFrom<Side>('v', 'r');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('send' as const), from: side }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('deliver' as const), from: side, pick: fc.noBias(fc.nat({ max: 1_000_000 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reflect' as const), from: side, pick: fc.noBias(fc.nat({ max: 1_000_000 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tamper' as const), from: side, pick: fc.noBias(fc.nat({ max: 1_000_000 })), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.noBias(fc.integer({ min: 0, max: 40_000 })) }) },
);

// Small bounds so that gaps, evictions and expiry all happen within a short run.
const LIMITS: SessionLimits = { maxSkip: 3, maxSkippedKeys: 2, maxSkippedAgeMs: 60_000 };

describe('session under random interleavings', () => {
  let base: TestConversation;
  beforeAll(async () => {
    await loadSodium();
    base = startConversation(seededRandom('property'));
  });

  it('every authentic message within the bound decrypts exactly once; everything else throws a typed error and leaves state unchanged', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 80 }), fc.integer(), (ops, seed) => {
        const random = seededRandom(`property/${seed}`);
        const state: Record<Side, SessionState> = { v: base.visitor, r: base.responder };
        const other = (s: Side): Side => (s === 'v' ? 'r' : 'v');
        const sent: Record<Side, { wire: Uint8Array; text: string; counter: number }[]> = { v: [], r: [] };
        // Model of the receiver of messages from `from` (the spec, independent of the code): delivered
        // counters, next expected counter, and the cache of skipped counters in insertion order.
        type Model = { delivered: Set<number>; next: number; cache: { counter: number; at: number }[] };
        const model: Record<Side, Model> = { v: { delivered: new Set(), next: 0, cache: [] }, r: { delivered: new Set(), next: 0, cache: [] } };
        let now = NOW.getTime();
        const expect_ = (m: Model, counter: number): { ok: true } | { ok: false; code: CryptoErrorCode } => {
          if (counter < m.next) {
            const cached = m.cache.find((k) => k.counter === counter);
            if (!cached) {
              if (!m.delivered.has(counter)) seen.set('evicted or pruned', (seen.get('evicted or pruned') ?? 0) + 1);
              return { ok: false, code: CryptoErrorCode.Replay };
            }
            if (now - cached.at > LIMITS.maxSkippedAgeMs) return { ok: false, code: CryptoErrorCode.Expired };
            return { ok: true };
          }
          if (counter - m.next > LIMITS.maxSkip) return { ok: false, code: CryptoErrorCode.GapTooLarge };
          return { ok: true };
        };
        const commit = (m: Model, counter: number): void => {
          m.delivered.add(counter);
          m.cache = m.cache.filter((k) => k.counter !== counter);
          for (let c = m.next; c < counter; c++) m.cache.push({ counter: c, at: now });
          m.cache = m.cache.filter((k) => now - k.at <= LIMITS.maxSkippedAgeMs).slice(-LIMITS.maxSkippedKeys);
          m.next = Math.max(m.next, counter + 1);
        };
        let decryptedCount = 0;

        const attempt = (receiver: Side, wire: Uint8Array, expected: { ok: true; text: string } | { ok: false; code: CryptoErrorCode }) => {
          const before = serializeSession(state[receiver]);
          let result: ReturnType<typeof decryptMessage> | undefined;
          let error: unknown;
          try {
            result = decryptMessage(state[receiver], wire, { now: new Date(now), limits: LIMITS });
          } catch (err) {
            error = err;
          }
          const outcome = expected.ok ? 'decrypted' : expected.code;
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
          if (expected.ok) {
            expect(error).toBeUndefined();
            expect(result?.content).toEqual({ type: 'text', text: expected.text });
            state[receiver] = (result as NonNullable<typeof result>).state;
            decryptedCount++;
          } else {
            expect(result).toBeUndefined();
            expect(isCryptoError(error)).toBe(true);
            expect(isCryptoError(error) && error.code).toBe(expected.code);
            expect(serializeSession(state[receiver])).toEqual(before);
          }
        };

        for (const op of ops) {
          if (op.op === 'tick') {
            now += op.ms;
            continue;
          }
          const pool = sent[op.from];
          if (op.op === 'send') {
            const text = `${op.from}${pool.length}`;
            const out = encryptMessage(state[op.from], { type: 'text', text }, { random });
            state[op.from] = out.state;
            pool.push({ wire: out.wire, text, counter: pool.length });
            continue;
          }
          if (pool.length === 0) continue;
          const msg = pool[op.pick % pool.length] as (typeof pool)[number];
          if (op.op === 'reflect') {
            attempt(op.from, msg.wire, { ok: false, code: CryptoErrorCode.Reflected });
            continue;
          }
          const m = model[op.from];
          const verdict = expect_(m, msg.counter);
          if (op.op === 'tamper') {
            // Any byte after the 11-byte header (nonce or ciphertext) must fail authentication.
            const wire = msg.wire.slice();
            const at = 11 + (op.at % (wire.length - 11));
            wire[at] = (wire[at] as number) ^ 0x80;
            attempt(other(op.from), wire, verdict.ok ? { ok: false, code: CryptoErrorCode.Tampered } : verdict);
            continue;
          }
          if (!verdict.ok) attempt(other(op.from), msg.wire, verdict);
          else {
            attempt(other(op.from), msg.wire, { ok: true, text: msg.text });
            commit(m, msg.counter);
          }
        }
        // Exactly once: the receivers' delivered counts match the model.
        expect(state.r.recv.delivered).toBe(model.v.delivered.size);
        expect(state.v.recv.delivered).toBe(model.r.delivered.size);
        expect(decryptedCount).toBe(model.v.delivered.size + model.r.delivered.size);
        // Delivering every message in order afterwards drains the rest without duplicates.
        return true;
      }),
      { numRuns: 300 },
    );
    // The generator must actually reach every outcome, or the property proves little.
    for (const outcome of ['decrypted', 'Replay', 'GapTooLarge', 'Expired', 'Reflected', 'Tampered', 'evicted or pruned']) {
      expect(seen.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
    }
  });

  it('in-bound messages delivered in any order after a random loss pattern decrypt exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.nat(), { maxLength: 40 }), fc.integer(), (count, picks, seed) => {
        const random = seededRandom(`order/${seed}`);
        let v = base.visitor;
        const wires: Uint8Array[] = [];
        for (let i = 0; i < count; i++) {
          const out = encryptMessage(v, { type: 'text', text: `m${i}` }, { random });
          v = out.state;
          wires.push(out.wire);
        }
        let r = base.responder;
        const seen = new Set<string>();
        for (const p of [...picks, ...wires.map((_, i) => i)]) {
          const wire = wires[p % wires.length] as Uint8Array;
          try {
            const out = decryptMessage(r, wire, { now: NOW });
            r = out.state;
            const t = out.content.type === 'text' ? out.content.text : '';
            expect(seen.has(t)).toBe(false);
            seen.add(t);
          } catch (err) {
            expect(isCryptoError(err, CryptoErrorCode.Replay)).toBe(true);
          }
        }
        expect(seen.size).toBe(count);
      }),
      { numRuns: 200 },
    );
  });
});
