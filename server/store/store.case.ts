// The Store contract suite: every adapter runs it (see ports.ts for the semantics it proves).
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError } from './errors.js';
import { encodeEvent, type ReceivedConversationEvent, type StaffEvent, type TeamEvent } from '../events/events.js';
import type {
  CallbackRecord,
  ConversationId,
  ConversationRecord,
  Envelope,
  MessageId,
  ResponderId,
  ResponderRecord,
  Store,
  TeamId,
} from './ports.js';

export interface StoreContractSetup {
  readonly store: Store;
  /** Moves time forward by `ms`: a manual clock for the memory adapter, a real sleep for Redis. */
  advance(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

/** Short TTLs keep the Redis run (which really sleeps) fast; steps stay well inside them. */
const TTL = 400;
const STEP = 150;
const PAST_TTL = TTL + 200;
const MAX = 1_000;

const rid = (bytes = 9) => randomBytes(bytes).toString('base64url');
const conversationId = () => rid(16).slice(0, 22) as ConversationId;
const responderId = () => `r-${rid()}` as ResponderId;
const teamId = () => `t-${rid()}` as TeamId;
const cid = () => `c${rid(12)}`;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A waiting conversation record with a fresh id and team; other suites use it too. */
export function sampleConversation(overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    id: conversationId(),
    category: 'chat',
    team: teamId(),
    language: 'sv',
    source: 'poster-malmo',
    status: 'waiting',
    tokenHash: 'ab'.repeat(32),
    createdAt: 1_700_000_000_000,
    queuedAt: 1_700_000_000_000,
    assignee: null,
    session: 0,
    danger: false,
    outcome: null,
    ...overrides,
  };
}

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return { cid: cid(), kind: 'message', body: rid(48), ...overrides };
}

/** Waits (really) until `check` passes, for deliveries that may be asynchronous. */
async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await realSleep(10);
    }
  }
}

/**
 * Declares the contract tests for one adapter. `setup` runs before every test and must give a
 * store that shares nothing with other tests' stores (or a fresh prefix); `teardown` after it.
 */
export function runStoreContract(name: string, setup: () => Promise<StoreContractSetup>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let advance: (ms: number) => Promise<void>;
    let teardown: (() => Promise<void>) | null = null;

    beforeEach(async () => {
      const ctx = await setup();
      store = ctx.store;
      advance = (ms) => ctx.advance(ms);
      teardown = () => ctx.teardown();
    });

    afterEach(async () => {
      await teardown?.();
      teardown = null;
    });

    /** Creates a waiting conversation and returns it. */
    async function created(overrides: Partial<ConversationRecord> = {}, ttlMs = 60_000): Promise<ConversationRecord> {
      const r = sampleConversation(overrides);
      await store.conversations.create(r, ttlMs);
      return r;
    }

    /** Creates a conversation claimed by a fresh responder. */
    async function claimed(): Promise<{ conv: ConversationRecord; responder: ResponderId }> {
      const conv = await created();
      const responder = responderId();
      const result = await store.conversations.claim(conv.id, responder);
      expect(result.ok).toBe(true);
      return { conv, responder };
    }

    describe('conversations', () => {
      it('round-trips a record through create and get', async () => {
        const r = await created({ danger: true, language: 'ar', category: 'parent' });
        expect(await store.conversations.get(r.id)).toEqual(r);
        expect(await store.conversations.get(conversationId())).toBeNull();
      });

      it('rejects creating an id that exists', async () => {
        const r = await created();
        await expect(store.conversations.create({ ...r, language: 'en' }, 60_000)).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.conversations.get(r.id))?.language).toBe('sv');
      });

      it('expires a conversation and its log after the TTL', async () => {
        const r = await created({}, TTL);
        const append = await store.log.append(r.id, 'visitor', 0, envelope(), TTL, MAX);
        expect(append.ok).toBe(true);
        await advance(PAST_TTL);
        expect(await store.conversations.get(r.id)).toBeNull();
        expect(await store.log.after(r.id, null, 100)).toEqual([]);
        expect(await store.conversations.touch(r.id, TTL)).toBe(false);
        expect(await store.log.append(r.id, 'visitor', 0, envelope(), TTL, MAX)).toEqual({ ok: false, reason: 'gone' });
      });

      it('slides the TTL on touch and append, and expires once idle', async () => {
        const r = await created({}, TTL);
        for (let i = 0; i < 6; i += 1) {
          await advance(STEP);
          if (i % 2 === 0) expect(await store.conversations.touch(r.id, TTL)).toBe(true);
          else expect((await store.log.append(r.id, 'visitor', 0, envelope(), TTL, MAX)).ok).toBe(true);
        }
        // 6 × STEP is more than twice the TTL: only the sliding kept it alive.
        expect(await store.conversations.get(r.id)).not.toBeNull();
        expect(await store.log.after(r.id, null, 100)).toHaveLength(3);
        await advance(PAST_TTL);
        expect(await store.conversations.get(r.id)).toBeNull();
        expect(await store.log.after(r.id, null, 100)).toEqual([]);
      });

      it('touch keeps the log alive together with the record', async () => {
        const r = await created({}, TTL);
        expect((await store.log.append(r.id, 'visitor', 0, envelope(), TTL, MAX)).ok).toBe(true);
        for (let i = 0; i < 4; i += 1) {
          await advance(STEP);
          expect(await store.conversations.touch(r.id, TTL)).toBe(true);
        }
        expect(await store.log.after(r.id, null, 100)).toHaveLength(1);
      });

      it('lets exactly one of 20 concurrent claims win', async () => {
        const r = await created();
        const responders = Array.from({ length: 20 }, () => responderId());
        const results = await Promise.all(responders.map((x) => store.conversations.claim(r.id, x)));
        const winners = results.flatMap((result, i) => (result.ok ? [{ result, responder: responders[i] }] : []));
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        expect(results.filter((x) => !x.ok)).toEqual(Array.from({ length: 19 }, () => ({ ok: false, reason: 'taken' })));
        const expected = { ...r, status: 'active', assignee: winner.responder, session: 1 };
        expect(winner.result.ok && winner.result.record).toEqual(expected);
        expect(await store.conversations.get(r.id)).toEqual(expected);
      });

      it('answers claim of an unknown or closed conversation', async () => {
        expect(await store.conversations.claim(conversationId(), responderId())).toEqual({ ok: false, reason: 'gone' });
        const r = await created();
        expect((await store.conversations.close(r.id, null, null)).ok).toBe(true);
        expect(await store.conversations.claim(r.id, responderId())).toEqual({ ok: false, reason: 'closed' });
      });

      it('transfers to a responder and to a team, incrementing the session', async () => {
        const { conv, responder } = await claimed();
        const next = responderId();
        const other = responderId();
        expect(await store.conversations.transfer(conv.id, other, { kind: 'responder', responder: next }, 5)).toEqual({
          ok: false,
          reason: 'not-assignee',
        });

        const toResponder = await store.conversations.transfer(conv.id, responder, { kind: 'responder', responder: next }, 5);
        expect(toResponder).toEqual({ ok: true, record: { ...conv, status: 'active', assignee: next, session: 2 } });
        expect(await store.conversations.transfer(conv.id, responder, { kind: 'responder', responder: other }, 6)).toEqual({
          ok: false,
          reason: 'not-assignee',
        });

        const team = teamId();
        const now = 1_800_000_000_000;
        const toTeam = await store.conversations.transfer(conv.id, next, { kind: 'team', team }, now);
        const waiting = { ...conv, status: 'waiting', assignee: null, team, queuedAt: now, session: 3 };
        expect(toTeam).toEqual({ ok: true, record: waiting });
        expect(await store.conversations.get(conv.id)).toEqual(waiting);
        // Waiting again: nobody is its assignee, and the next claim starts session 4.
        expect(await store.conversations.transfer(conv.id, next, { kind: 'team', team }, now)).toEqual({
          ok: false,
          reason: 'not-assignee',
        });
        const reclaim = await store.conversations.claim(conv.id, other);
        expect(reclaim.ok && reclaim.record.session).toBe(4);
      });

      it('refuses to transfer an unknown or closed conversation', async () => {
        const r = responderId();
        expect(await store.conversations.transfer(conversationId(), r, { kind: 'team', team: teamId() }, 1)).toEqual({
          ok: false,
          reason: 'gone',
        });
        const { conv, responder } = await claimed();
        expect((await store.conversations.close(conv.id, responder, 'helped')).ok).toBe(true);
        expect(await store.conversations.transfer(conv.id, responder, { kind: 'team', team: teamId() }, 1)).toEqual({
          ok: false,
          reason: 'closed',
        });
      });

      it('lets the visitor close in any open state and only the assignee close as responder', async () => {
        const waiting = await created();
        expect(await store.conversations.close(waiting.id, responderId(), 'x')).toEqual({ ok: false, reason: 'not-assignee' });
        expect(await store.conversations.close(waiting.id, null, null)).toEqual({
          ok: true,
          record: { ...waiting, status: 'closed' },
        });
        expect(await store.conversations.close(waiting.id, null, null)).toEqual({ ok: false, reason: 'closed' });

        const { conv, responder } = await claimed();
        expect(await store.conversations.close(conv.id, responderId(), 'x')).toEqual({ ok: false, reason: 'not-assignee' });
        const closed = await store.conversations.close(conv.id, responder, 'referred');
        expect(closed).toEqual({
          ok: true,
          record: { ...conv, status: 'closed', assignee: responder, session: 1, outcome: 'referred' },
        });
        expect(await store.conversations.get(conv.id)).toEqual(closed.ok ? closed.record : null);
        expect(await store.conversations.close(conv.id, responder, 'again')).toEqual({ ok: false, reason: 'closed' });

        const active = await claimed();
        expect((await store.conversations.close(active.conv.id, null, null)).ok).toBe(true);
        expect(await store.conversations.close(conversationId(), null, null)).toEqual({ ok: false, reason: 'gone' });
      });

      it('erases record, log and dedupe index at once, idempotently', async () => {
        const r = await created();
        const first = envelope();
        expect((await store.log.append(r.id, 'visitor', 0, first, 60_000, MAX)).ok).toBe(true);
        await store.conversations.erase(r.id);
        expect(await store.conversations.get(r.id)).toBeNull();
        expect(await store.log.after(r.id, null, 100)).toEqual([]);
        expect(await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX)).toEqual({ ok: false, reason: 'gone' });
        await store.conversations.erase(r.id);
        await store.conversations.erase(conversationId());

        // The dedupe index went too: the same cid in a re-created conversation is new.
        await store.conversations.create(r, 60_000);
        const again = await store.log.append(r.id, 'visitor', 0, first, 60_000, MAX);
        expect(again.ok && again.duplicate).toBe(false);
        expect(await store.log.after(r.id, null, 100)).toHaveLength(1);
      });
    });

    describe('notes', () => {
      const budget = (bytes: number, maxNotes = 10, maxBytes = 10_000) => ({ bytes, maxNotes, maxBytes });

      it('adds notes and lists them oldest first, leaving the conversation record as it was', async () => {
        const r = await created();
        const author = responderId();
        const first = await store.notes.add(r.id, { author, at: 1_000, body: 'AAAA' }, budget(3));
        expect(first).toEqual({ ok: true, note: { id: '1', author, at: 1_000, body: 'AAAA' } });
        for (let i = 2; i <= 11; i += 1) {
          const added = await store.notes.add(r.id, { author, at: 1_000 + i, body: `BBB${i}` }, budget(4, 20));
          expect(added.ok && added.note.id).toBe(String(i));
        }
        const listed = await store.notes.list(r.id);
        expect(listed.map((n) => n.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
        expect(listed[10]).toEqual({ id: '11', author, at: 1_011, body: 'BBB11' });
        expect(await store.conversations.get(r.id)).toEqual(r);
        expect(await store.notes.list(conversationId())).toEqual([]);
        expect(await store.notes.add(conversationId(), { author, at: 1, body: 'AAAA' }, budget(3))).toEqual({ ok: false, reason: 'gone' });
      });

      it('keeps to the budget: so many notes, so many bytes; a refusal changes nothing', async () => {
        const r = await created();
        const author = responderId();
        expect((await store.notes.add(r.id, { author, at: 1, body: 'AAAA' }, budget(60, 2, 100))).ok).toBe(true);
        expect(await store.notes.add(r.id, { author, at: 2, body: 'BBBB' }, budget(41, 2, 100))).toEqual({ ok: false, reason: 'too-large' });
        expect((await store.notes.add(r.id, { author, at: 3, body: 'CCCC' }, budget(40, 2, 100))).ok).toBe(true);
        expect(await store.notes.add(r.id, { author, at: 4, body: 'DDDD' }, budget(1, 2, 100))).toEqual({ ok: false, reason: 'full' });
        expect((await store.notes.list(r.id)).map((n) => n.body)).toEqual(['AAAA', 'CCCC']);
      });

      it('live as long as the conversation: slid by touch and append, gone when it expires or is erased', async () => {
        const r = await created({}, TTL);
        const author = responderId();
        expect((await store.notes.add(r.id, { author, at: 1, body: 'AAAA' }, budget(3))).ok).toBe(true);
        for (let i = 0; i < 6; i += 1) {
          await advance(STEP);
          if (i % 2 === 0) expect(await store.conversations.touch(r.id, TTL)).toBe(true);
          else expect((await store.log.append(r.id, 'visitor', 0, envelope(), TTL, MAX)).ok).toBe(true);
        }
        // Six steps are more than twice the TTL: only the sliding kept the notes.
        expect(await store.notes.list(r.id)).toHaveLength(1);
        await advance(PAST_TTL);
        expect(await store.conversations.get(r.id)).toBeNull();
        expect(await store.notes.list(r.id)).toEqual([]);

        const erased = await created();
        expect((await store.notes.add(erased.id, { author, at: 1, body: 'AAAA' }, budget(3))).ok).toBe(true);
        await store.conversations.erase(erased.id);
        expect(await store.notes.list(erased.id)).toEqual([]);
        // Re-created under the same id, it starts without notes and with a fresh budget.
        await store.conversations.create(erased, 60_000);
        const again = await store.notes.add(erased.id, { author, at: 2, body: 'BBBB' }, budget(3, 1));
        expect(again.ok && again.note.id).toBe('1');
      });
    });

    describe('message log', () => {
      it('appends an entry and returns it', async () => {
        const r = await created();
        const input = envelope({ kind: 'intake' });
        const result = await store.log.append(r.id, 'visitor', 0, input, 60_000, MAX);
        expect(result).toEqual({
          ok: true,
          duplicate: false,
          entry: { ...input, id: expect.stringMatching(/^\d+-\d+$/), from: 'visitor', session: 0, at: expect.any(Number) },
        });
        // Its time is the moment the store assigned its id (clients read `at`, never the id).
        if (result.ok) expect(result.entry.at).toBe(Number(result.entry.id.split('-')[0]));
        expect(await store.log.after(r.id, null, 10)).toEqual([result.ok ? result.entry : null]);
      });

      it('deduplicates by cid: the first entry comes back and nothing is appended', async () => {
        const r = await created();
        const input = envelope();
        const first = await store.log.append(r.id, 'responder', 2, input, 60_000, MAX);
        const again = await store.log.append(r.id, 'responder', 2, { ...input, body: rid(10) }, 60_000, MAX);
        expect(first.ok).toBe(true);
        expect(again).toEqual({ ok: true, duplicate: true, entry: first.ok ? first.entry : null });
        expect(await store.log.after(r.id, null, 100)).toHaveLength(1);
      });

      it('answers gone for a conversation that does not exist', async () => {
        expect(await store.log.append(conversationId(), 'visitor', 0, envelope(), 60_000, MAX)).toEqual({
          ok: false,
          reason: 'gone',
        });
      });

      it('refuses beyond maxEntries but still acknowledges a repeated cid', async () => {
        const r = await created();
        const inputs = [envelope(), envelope(), envelope()];
        for (const input of inputs) expect((await store.log.append(r.id, 'visitor', 0, input, 60_000, 3)).ok).toBe(true);
        expect(await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, 3)).toEqual({ ok: false, reason: 'full' });
        const retry = await store.log.append(r.id, 'visitor', 0, inputs[2]!, 60_000, 3);
        expect(retry.ok && retry.duplicate).toBe(true);
        expect(await store.log.after(r.id, null, 100)).toHaveLength(3);
      });

      it('spends the byte budgets inside the append: per hour (then rate, with the time left), in all (then too-large), a resend free', async () => {
        const r = await created();
        const now = 1_900_000_000_000;
        const budget = (bytes: number, at = now) => ({ bytes, bytesPerHour: 100, maxBytes: 250, now: at });
        const first = envelope();
        expect((await store.log.append(r.id, 'visitor', 0, first, 60_000, MAX, budget(60))).ok).toBe(true);
        const resent = await store.log.append(r.id, 'visitor', 0, first, 60_000, MAX, budget(60, now + 1));
        expect(resent.ok && resent.duplicate).toBe(true);
        expect((await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX, budget(40, now + 2))).ok).toBe(true);
        expect(await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX, budget(1, now + 1_000))).toEqual({
          ok: false,
          reason: 'rate',
          resetMs: 3_600_000 - 1_000,
        });
        // A new hour: the window opens again, the total goes on (100 of 250 spent).
        const later = now + 3_600_000;
        expect((await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX, budget(100, later))).ok).toBe(true);
        expect(await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX, budget(60, later + 3_600_000))).toEqual({ ok: false, reason: 'too-large' });
        expect((await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX, budget(50, later + 3_600_000))).ok).toBe(true);
        // Refused appends stored nothing; without a budget nothing is counted.
        expect(await store.log.after(r.id, null, 100)).toHaveLength(4);
        expect((await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX)).ok).toBe(true);
        expect((await store.conversations.get(r.id))?.id).toBe(r.id);
      });

      it('of concurrent appends exactly those within the budget succeed', async () => {
        const r = await created();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX, { bytes: 10, bytesPerHour: 1_000, maxBytes: 75, now: 1_900_000_000_000 })),
        );
        expect(results.filter((x) => x.ok)).toHaveLength(7);
        expect(results.filter((x) => !x.ok && x.reason === 'too-large')).toHaveLength(13);
        expect(await store.log.after(r.id, null, 100)).toHaveLength(7);
      });

      it('replays strictly after an id, oldest first, at most limit', async () => {
        const r = await created();
        const entries = [];
        for (let i = 0; i < 5; i += 1) {
          const result = await store.log.append(r.id, i % 2 === 0 ? 'visitor' : 'responder', 1, envelope(), 60_000, MAX);
          if (!result.ok) throw new Error('append failed');
          entries.push(result.entry);
        }
        expect(new Set(entries.map((e) => e.id)).size).toBe(5);
        expect(await store.log.after(r.id, null, 100)).toEqual(entries);
        expect(await store.log.after(r.id, entries[1]!.id, 100)).toEqual(entries.slice(2));
        expect(await store.log.after(r.id, entries[1]!.id, 2)).toEqual(entries.slice(2, 4));
        expect(await store.log.after(r.id, null, 2)).toEqual(entries.slice(0, 2));
        expect(await store.log.after(r.id, entries[4]!.id, 100)).toEqual([]);
        expect(await store.log.after(conversationId(), null, 100)).toEqual([]);
      });

      it('replays after an id that sorts between entries', async () => {
        const r = await created();
        const first = await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX);
        const second = await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX);
        if (!first.ok || !second.ok) throw new Error('append failed');
        expect(await store.log.after(r.id, '0-1' as MessageId, 100)).toEqual([first.entry, second.entry]);
      });
    });

    describe('events', () => {
      it('delivers a team event to every handler of the topic until it unsubscribes, and no other topic', async () => {
        const team = teamId();
        const a: TeamEvent[] = [];
        const b: TeamEvent[] = [];
        const elsewhere: TeamEvent[] = [];
        const unsubscribeA = await store.events.onTeam(team, (e) => a.push(e));
        const unsubscribeB = await store.events.onTeam(team, (e) => b.push(e));
        const unsubscribeElsewhere = await store.events.onTeam(teamId(), (e) => elsewhere.push(e));
        const queued: TeamEvent = { t: 'queued', c: conversationId(), category: 'chat', danger: false };
        await store.events.toTeam(team, queued);
        await eventually(() => {
          expect(a).toEqual([queued]);
          expect(b).toEqual([queued]);
        });
        await unsubscribeA();
        await store.events.toTeam(team, { t: 'duty' });
        await eventually(() => expect(b).toEqual([queued, { t: 'duty' }]));
        expect(a).toEqual([queued]);
        await unsubscribeB();
        await unsubscribeB();
        expect(elsewhere).toEqual([]);
        await unsubscribeElsewhere();
      });

      it('delivers staff events', async () => {
        const got: StaffEvent[] = [];
        const unsubscribe = await store.events.onStaff((e) => got.push(e));
        const responder = responderId();
        await store.events.toStaff({ t: 'deactivated', responder });
        await eventually(() => expect(got).toEqual([{ t: 'deactivated', responder }]));
        await unsubscribe();
      });

      it("publishes an append's msg event on that conversation's topic only, read without parsing", async () => {
        const r = await created();
        const other = await created();
        const events: ReceivedConversationEvent[] = [];
        const otherEvents: ReceivedConversationEvent[] = [];
        const unsubscribe = await store.events.onConversation(r.id, (e) => events.push(e));
        const unsubscribeOther = await store.events.onConversation(other.id, (e) => otherEvents.push(e));

        const result = await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX);
        if (!result.ok) throw new Error('append failed');
        await eventually(() => expect(events).toHaveLength(1));
        const [event] = events;
        if (event?.t !== 'msg') throw new Error('expected a msg event');
        expect({ id: event.id, cid: event.cid, from: event.from }).toEqual({ id: result.entry.id, cid: result.entry.cid, from: 'visitor' });
        expect(JSON.parse(String(event.entryJson))).toEqual(result.entry);
        // Byte for byte what the events module encodes (the Redis scripts are generated from its layout).
        expect(`{"t":"msg","entry":${String(event.entryJson)}}`).toBe(encodeEvent({ t: 'msg', entry: result.entry }));

        // A duplicate is not published again.
        await store.log.append(r.id, 'visitor', 0, result.entry, 60_000, MAX);
        await unsubscribe();
        expect((await store.log.append(r.id, 'visitor', 0, envelope(), 60_000, MAX)).ok).toBe(true);
        await realSleep(50);
        expect(events).toHaveLength(1);
        expect(otherEvents).toEqual([]);
        await unsubscribeOther();
      });

      it('publishes erased when a conversation is erased', async () => {
        const conv = await created();
        const events: ReceivedConversationEvent[] = [];
        const unsubscribe = await store.events.onConversation(conv.id, (e) => events.push(e));
        await store.conversations.erase(conv.id);
        await eventually(() => expect(events).toEqual([{ t: 'erased' }]));
        await unsubscribe();
      });

      it("publishes a duty event on the team's topic when its on-duty set changes, and only then", async () => {
        const team = teamId();
        const responder = responderId();
        const events: TeamEvent[] = [];
        const unsubscribe = await store.events.onTeam(team, (e) => events.push(e));
        await store.duty.setOnDuty(team, responder, true);
        await store.duty.setOnDuty(team, responder, true);
        await store.duty.heartbeat(responder, 60_000);
        await store.duty.setOnDuty(team, responder, false);
        await store.duty.setOnDuty(team, responder, false);
        await eventually(() => expect(events).toEqual([{ t: 'duty' }, { t: 'duty' }]));
        await realSleep(50);
        expect(events).toHaveLength(2);
        await unsubscribe();
      });

      it('publishes state events on claim, transfer and close', async () => {
        const conv = await created();
        const events: ReceivedConversationEvent[] = [];
        const unsubscribe = await store.events.onConversation(conv.id, (e) => events.push(e));
        const responder = responderId();
        expect((await store.conversations.claim(conv.id, responder)).ok).toBe(true);
        // A losing claim changes nothing and publishes nothing.
        expect(await store.conversations.claim(conv.id, responderId())).toEqual({ ok: false, reason: 'taken' });
        const next = responderId();
        expect((await store.conversations.transfer(conv.id, responder, { kind: 'responder', responder: next }, 1)).ok).toBe(true);
        expect((await store.conversations.close(conv.id, next, 'helped')).ok).toBe(true);
        await eventually(() =>
          expect(events).toEqual([
            { t: 'state', status: 'active', session: 1 },
            { t: 'state', status: 'active', session: 2 },
            { t: 'state', status: 'closed', session: 2 },
          ]),
        );
        await realSleep(50);
        expect(events).toHaveLength(3);
        await unsubscribe();
      });
    });

    describe('queues', () => {
      it('orders by score, ranks, removes and counts', async () => {
        const team = teamId();
        const [a, b, c] = [conversationId(), conversationId(), conversationId()];
        await store.queues.add(team, a, 300);
        await store.queues.add(team, b, 100);
        await store.queues.add(team, c, 200);
        expect(await store.queues.list(team, 10)).toEqual([
          { id: b, score: 100 },
          { id: c, score: 200 },
          { id: a, score: 300 },
        ]);
        expect(await store.queues.list(team, 2)).toEqual([
          { id: b, score: 100 },
          { id: c, score: 200 },
        ]);
        expect(await store.queues.rank(team, a)).toBe(2);
        expect(await store.queues.rank(team, b)).toBe(0);
        expect(await store.queues.size(team)).toBe(3);

        expect(await store.queues.remove(team, c)).toBe(true);
        expect(await store.queues.rank(team, c)).toBeNull();
        expect(await store.queues.rank(team, a)).toBe(1);
        expect(await store.queues.size(team)).toBe(2);
        expect(await store.queues.remove(team, c)).toBe(false);

        // Re-adding moves it (danger first: a smaller score).
        await store.queues.add(team, a, 50);
        expect(await store.queues.rank(team, a)).toBe(0);
        expect(await store.queues.size(teamId())).toBe(0);
        expect(await store.queues.list(teamId(), 10)).toEqual([]);
      });
    });

    describe('once', () => {
      it('claims a key once per TTL', async () => {
        const key = `pow:${rid()}`;
        expect(await store.once.claimOnce(key, TTL)).toBe(true);
        expect(await store.once.claimOnce(key, TTL)).toBe(false);
        expect(await store.once.claimOnce(`pow:${rid()}`, TTL)).toBe(true);
        await advance(PAST_TTL);
        expect(await store.once.claimOnce(key, TTL)).toBe(true);
      });

      it('lets exactly one of many concurrent claims win', async () => {
        const key = `nonce:${rid()}`;
        const results = await Promise.all(Array.from({ length: 10 }, () => store.once.claimOnce(key, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('secrets', () => {
      it('keeps the first value', async () => {
        const name = `s-${rid()}`;
        expect(await store.secrets.getOrCreate(name, 'first')).toBe('first');
        expect(await store.secrets.getOrCreate(name, 'second')).toBe('first');
        const other = `s-${rid()}`;
        const values = await Promise.all(['a', 'b', 'c', 'd'].map((v) => store.secrets.getOrCreate(other, v)));
        expect(new Set(values).size).toBe(1);
      });
    });

    describe('staff', () => {
      const responderRecord = (overrides: Partial<ResponderRecord> = {}): ResponderRecord => ({
        id: responderId(),
        login: `login-${rid()}`,
        displayName: 'Sara Lind',
        teams: [teamId(), teamId()],
        roles: ['responder', 'supervisor'],
        salt: rid(16),
        opslimit: 3,
        memlimit: 67_108_864,
        authHash: 'cd'.repeat(32),
        active: true,
        ...overrides,
      });

      it('stores responders and finds them by login', async () => {
        const r = responderRecord();
        await store.staff.putResponder(r);
        expect(await store.staff.getResponder(r.id)).toEqual(r);
        expect(await store.staff.findResponderByLogin(r.login)).toEqual(r);
        expect(await store.staff.getResponder(responderId())).toBeNull();
        expect(await store.staff.findResponderByLogin(`nobody-${rid()}`)).toBeNull();

        const renamed = { ...r, login: `login-${rid()}`, active: false, teams: [], roles: [] };
        await store.staff.putResponder(renamed);
        expect(await store.staff.getResponder(r.id)).toEqual(renamed);
        expect(await store.staff.findResponderByLogin(renamed.login)).toEqual(renamed);
        expect(await store.staff.findResponderByLogin(r.login)).toBeNull();
      });

      it('stores and lists teams', async () => {
        const a = { id: teamId(), name: 'Avhopparteamet', categories: ['chat', 'callback'] as const, overflow: null };
        const b = { id: teamId(), name: 'Föräldrastöd', categories: ['parent'] as const, overflow: a.id };
        await store.staff.putTeam({ ...a, categories: [...a.categories] });
        await store.staff.putTeam({ ...b, categories: [...b.categories] });
        expect(await store.staff.getTeam(b.id)).toEqual(b);
        expect(await store.staff.getTeam(teamId())).toBeNull();
        const listed = await store.staff.listTeams();
        expect(listed).toEqual(expect.arrayContaining([a, b]));
        await store.staff.putTeam({ ...a, categories: [...a.categories], name: 'Renamed' });
        expect((await store.staff.listTeams()).filter((t) => t.id === a.id)).toEqual([{ ...a, name: 'Renamed' }]);
      });
    });

    describe('sessions', () => {
      it('expires after the TTL, slides on get and deletes', async () => {
        const idHash = 'ef'.repeat(16) + rid(8);
        const session = { responder: responderId(), csrfHash: '01'.repeat(32), createdAt: 1_700_000_000_000 };
        await store.sessions.create(idHash, session, TTL);
        for (let i = 0; i < 4; i += 1) {
          await advance(STEP);
          expect(await store.sessions.get(idHash, TTL)).toEqual(session);
        }
        await advance(PAST_TTL);
        expect(await store.sessions.get(idHash, TTL)).toBeNull();

        await store.sessions.create(idHash, session, 60_000);
        expect(await store.sessions.get(idHash, 60_000)).toEqual(session);
        await store.sessions.delete(idHash);
        expect(await store.sessions.get(idHash, 60_000)).toBeNull();
        await store.sessions.delete(idHash);
      });
    });

    describe('duty', () => {
      it('lists on-duty responders with a live heartbeat and prunes dead ones', async () => {
        const team = teamId();
        const [alive, silent, off] = [responderId(), responderId(), responderId()];
        await store.duty.setOnDuty(team, alive, true);
        await store.duty.setOnDuty(team, silent, true);
        await store.duty.setOnDuty(team, off, true);
        await store.duty.setOnDuty(team, off, false);
        await store.duty.heartbeat(alive, TTL);
        await store.duty.heartbeat(off, TTL);
        expect(await store.duty.onDuty(team)).toEqual([alive]);
        // silent was pruned: a late heartbeat does not put it back on duty.
        await store.duty.heartbeat(silent, TTL);
        expect(await store.duty.onDuty(team)).toEqual([alive]);

        await advance(STEP);
        await store.duty.heartbeat(alive, TTL);
        await advance(STEP);
        expect(await store.duty.onDuty(team)).toEqual([alive]);
        await advance(PAST_TTL);
        expect(await store.duty.onDuty(team)).toEqual([]);
        await store.duty.heartbeat(alive, TTL);
        expect(await store.duty.onDuty(team)).toEqual([]);
        await store.duty.setOnDuty(team, alive, true);
        expect(await store.duty.onDuty(team)).toEqual([alive]);
      });
    });

    describe('audit', () => {
      it('returns recent entries newest first', async () => {
        const actor = responderId();
        const entries = [1, 2, 3].map((i) => ({ at: 1_700_000_000_000 + i, actor, action: `action-${i}`, ref: i === 2 ? '' : rid() }));
        for (const entry of entries) await store.audit.append(entry);
        expect(await store.audit.recent(2)).toEqual([entries[2], entries[1]]);
        expect(await store.audit.recent(10)).toEqual([...entries].reverse());
      });

      it('purges entries older than a time and keeps the rest', async () => {
        const actor = responderId();
        const entries = [1, 2, 3, 4].map((i) => ({ at: 1_700_000_000_000 + i * 1000, actor, action: `action-${i}`, ref: '' }));
        for (const entry of entries) await store.audit.append(entry);
        expect(await store.audit.purgeBefore(1_700_000_000_000 + 2500)).toBe(2);
        expect(await store.audit.recent(10)).toEqual([entries[3], entries[2]]);
        expect(await store.audit.purgeBefore(1_700_000_000_000)).toBe(0);
        expect(await store.audit.recent(10)).toHaveLength(2);
      });
    });

    describe('stats', () => {
      it('increments counters per day and field', async () => {
        const day = '2026-11-23';
        await store.stats.increment(day, 'team-a:chat:poster:helped', 1);
        await store.stats.increment(day, 'team-a:chat:poster:helped', 4);
        await store.stats.increment(day, 'team-b:parent:web:referred', 1);
        await store.stats.increment('2026-11-24', 'team-a:chat:poster:helped', 7);
        expect(await store.stats.day(day)).toEqual({ 'team-a:chat:poster:helped': 5, 'team-b:parent:web:referred': 1 });
        expect(await store.stats.day('2026-01-01')).toEqual({});
      });

      it('lists the days with counters and deletes one day whole', async () => {
        expect(await store.stats.days()).toEqual([]);
        await store.stats.increment('2026-11-24', 'opened:a:chat:web:', 1);
        await store.stats.increment('2025-01-31', 'opened:a:chat:web:', 2);
        await store.stats.increment('2026-11-24', 'claimed:a:chat:web:', 1);
        expect(await store.stats.days()).toEqual(['2025-01-31', '2026-11-24']);
        await store.stats.deleteDay('2025-01-31');
        await store.stats.deleteDay('2020-01-01');
        expect(await store.stats.days()).toEqual(['2026-11-24']);
        expect(await store.stats.day('2025-01-31')).toEqual({});
        expect(await store.stats.day('2026-11-24')).toEqual({ 'opened:a:chat:web:': 1, 'claimed:a:chat:web:': 1 });
      });
    });

    describe('callbacks', () => {
      const callback = (overrides: Partial<CallbackRecord> = {}): CallbackRecord => ({
        id: conversationId(),
        team: teamId(),
        language: 'sv',
        source: 'poster-malmo',
        state: 'waiting',
        claimer: null,
        autoAssigned: false,
        createdAt: 1_700_000_000_000,
        claimedAt: null,
        doneAt: null,
        attempts: [],
        teamSealed: rid(64),
        claimerSealed: null,
        supervisorSealed: {},
        rev: 0,
        ...overrides,
      });

      it('round-trips a record, lists it as waiting in its team, refuses an id that exists', async () => {
        const r = callback({ supervisorSealed: { 'r-a': 'x' } });
        await store.callbacks.create(r, 60_000);
        expect(await store.callbacks.get(r.id)).toEqual(r);
        expect(await store.callbacks.list({ kind: 'waiting', team: r.team }, 10)).toEqual([r]);
        await expect(store.callbacks.create(r, 60_000)).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.callbacks.get(conversationId())).toBeNull();
      });

      it('moves between lists on replace: waiting → held by the claimer → done by the claimer', async () => {
        const r = callback();
        const me = responderId();
        await store.callbacks.create(r, 60_000);
        const held = await store.callbacks.replace(r, { ...r, state: 'claimed', claimer: me, claimedAt: r.createdAt + 5 });
        expect(held).toEqual(expect.objectContaining({ state: 'claimed', claimer: me, rev: 1 }));
        expect(await store.callbacks.list({ kind: 'waiting', team: r.team }, 10)).toEqual([]);
        expect(await store.callbacks.list({ kind: 'claimed', responder: me }, 10)).toEqual([held]);
        expect(await store.callbacks.list({ kind: 'held', team: r.team }, 10)).toEqual([held]);
        const attempted = await store.callbacks.replace(held!, { ...held!, attempts: [{ at: r.createdAt + 9, by: me }] });
        expect(attempted?.rev).toBe(2);
        expect((await store.callbacks.list({ kind: 'claimed', responder: me }, 10)).map((c) => c.attempts)).toEqual([[{ at: r.createdAt + 9, by: me }]]);
        const done = await store.callbacks.replace(attempted!, { ...attempted!, state: 'done', doneAt: r.createdAt + 20, teamSealed: null });
        expect(await store.callbacks.list({ kind: 'claimed', responder: me }, 10)).toEqual([]);
        expect(await store.callbacks.list({ kind: 'done', responder: me }, 10)).toEqual([done]);
        expect(await store.callbacks.list({ kind: 'held', team: r.team }, 10)).toEqual([]);
        expect(await store.callbacks.get(r.id)).toEqual(done);
      });

      it('of 20 concurrent replaces of one revision exactly one wins; a stale revision changes nothing', async () => {
        const r = callback();
        await store.callbacks.create(r, 60_000);
        const claimers = Array.from({ length: 20 }, () => responderId());
        const results = await Promise.all(claimers.map((c) => store.callbacks.replace(r, { ...r, state: 'claimed', claimer: c, claimedAt: r.createdAt })));
        const winners = results.filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        const stored = await store.callbacks.get(r.id);
        expect(stored).toEqual(winners[0]);
        for (const c of claimers) {
          expect(await store.callbacks.list({ kind: 'claimed', responder: c }, 10)).toEqual(c === stored?.claimer ? [stored] : []);
        }
        expect(await store.callbacks.replace(r, { ...r, state: 'done' })).toBeNull();
        expect(await store.callbacks.replace(callback(), callback())).toBeNull();
      });

      it('orders a list oldest first, at most limit, and drops erased records from it', async () => {
        const team = teamId();
        const rs = [callback({ team, createdAt: 3 }), callback({ team, createdAt: 1 }), callback({ team, createdAt: 2 })];
        for (const r of rs) await store.callbacks.create(r, 60_000);
        expect((await store.callbacks.list({ kind: 'waiting', team }, 10)).map((r) => r.createdAt)).toEqual([1, 2, 3]);
        await store.callbacks.erase(rs[1]!.id);
        await store.callbacks.erase(rs[1]!.id);
        expect(await store.callbacks.get(rs[1]!.id)).toBeNull();
        expect((await store.callbacks.list({ kind: 'waiting', team }, 1)).map((r) => r.createdAt)).toEqual([2]);
        expect((await store.callbacks.list({ kind: 'waiting', team }, 10)).map((r) => r.createdAt)).toEqual([2, 3]);
      });

      it('expires with its TTL, kept across a replace, and leaves its lists', async () => {
        const r = callback();
        await store.callbacks.create(r, TTL);
        await advance(STEP);
        const held = await store.callbacks.replace(r, { ...r, state: 'claimed', claimer: responderId(), claimedAt: 1 });
        await advance(PAST_TTL - STEP);
        expect(await store.callbacks.get(r.id)).toBeNull();
        expect(await store.callbacks.list({ kind: 'claimed', responder: held!.claimer! }, 10)).toEqual([]);
        expect(await store.callbacks.replace(held!, held!)).toBeNull();
      });
    });

    describe('expiring records', () => {
      it('keeps a record until its TTL, lists live ones by id, deletes idempotently', async () => {
        const collection = `x-${rid()}`;
        await store.expiring.put(collection, 'b', '{"n":2}', TTL);
        await store.expiring.put(collection, 'a', '{"n":1}', TTL * 10);
        await store.expiring.put(`${collection}-other`, 'a', '{}', TTL);
        expect(await store.expiring.get(collection, 'b')).toBe('{"n":2}');
        expect((await store.expiring.list(collection)).map((r) => r.id)).toEqual(['a', 'b']);
        const listed = await store.expiring.list(collection);
        expect(listed[0]?.expiresAt).toBeGreaterThan(listed[1]?.expiresAt ?? Infinity);
        await advance(PAST_TTL);
        expect(await store.expiring.get(collection, 'b')).toBeNull();
        expect(await store.expiring.list(collection)).toEqual([expect.objectContaining({ id: 'a', value: '{"n":1}' })]);
        await store.expiring.delete(collection, 'a');
        await store.expiring.delete(collection, 'missing');
        expect(await store.expiring.get(collection, 'a')).toBeNull();
        expect(await store.expiring.list(collection)).toEqual([]);
      });
    });

    describe('records', () => {
      it('puts, gets, lists in id order and deletes, per collection, without expiry', async () => {
        const collection = `c-${rid()}`;
        await store.records.put(collection, 'b', '{"n":2}');
        await store.records.put(collection, 'a', '{"n":1}');
        await store.records.put(`${collection}-other`, 'a', '{"other":true}');
        await store.records.put(collection, 'b', '{"n":3}');
        expect(await store.records.get(collection, 'b')).toBe('{"n":3}');
        expect(await store.records.get(collection, 'zz')).toBeNull();
        expect(await store.records.list(collection)).toEqual([
          { id: 'a', value: '{"n":1}' },
          { id: 'b', value: '{"n":3}' },
        ]);
        await advance(PAST_TTL);
        await store.records.delete(collection, 'a');
        await store.records.delete(collection, 'missing');
        expect(await store.records.list(collection)).toEqual([{ id: 'b', value: '{"n":3}' }]);
        expect(await store.records.list(`c-${rid()}`)).toEqual([]);
      });
    });

    describe('counters', () => {
      it('spends within the limit only, atomically: of 50 concurrent spends exactly the limit succeed', async () => {
        const name = `n-${rid()}`;
        const results = await Promise.all(Array.from({ length: 50 }, () => store.counters.spend(name, 1, 7, 60_000)));
        expect(results.filter((r) => r.ok)).toHaveLength(7);
        expect(results.filter((r) => !r.ok).every((r) => r.value === 7)).toBe(true);
        expect((await store.counters.spend(name, 0, 7, 60_000)).value).toBe(7);
      });

      it('adds amounts, refuses one that does not fit without adding it, and reports the time to reset', async () => {
        const name = `b-${rid()}`;
        expect(await store.counters.spend(name, 600, 1000, 60_000)).toMatchObject({ ok: true, value: 600 });
        const refused = await store.counters.spend(name, 500, 1000, 60_000);
        expect(refused).toMatchObject({ ok: false, value: 600 });
        expect(refused.resetMs).toBeGreaterThan(50_000);
        expect(refused.resetMs).toBeLessThanOrEqual(60_000);
        expect(await store.counters.spend(name, 400, 1000, 60_000)).toMatchObject({ ok: true, value: 1000 });
      });

      it('starts again after a fixed window; a sliding one lasts while it is spent', async () => {
        const fixed = `f-${rid()}`;
        const sliding = `s-${rid()}`;
        const SLIDE = TTL * 2;
        await store.counters.spend(fixed, 1, 1, TTL);
        await store.counters.spend(sliding, 1, 10, SLIDE, true);
        await advance(STEP);
        expect((await store.counters.spend(fixed, 1, 1, TTL)).ok).toBe(false);
        await store.counters.spend(sliding, 1, 10, SLIDE, true);
        await advance(STEP * 2);
        // The fixed window ran out (its TTL was not extended); the sliding one was renewed at STEP.
        expect(await store.counters.spend(fixed, 1, 1, TTL)).toMatchObject({ ok: true, value: 1 });
        expect(await store.counters.spend(sliding, 1, 10, SLIDE, true)).toMatchObject({ ok: true, value: 3 });
        await advance(SLIDE + 200);
        expect(await store.counters.spend(sliding, 1, 10, SLIDE, true)).toMatchObject({ ok: true, value: 1 });
      });

      it('resets, idempotently', async () => {
        const name = `r-${rid()}`;
        await store.counters.spend(name, 5, 5, 60_000);
        await store.counters.reset(name);
        await store.counters.reset(name);
        expect(await store.counters.spend(name, 5, 5, 60_000)).toMatchObject({ ok: true, value: 5 });
      });
    });

    it('reports its memory use', async () => {
      await store.records.put(`m-${rid()}`, 'a', 'x'.repeat(1000));
      const usage = await store.memory.usage();
      expect(usage.usedBytes).toBeGreaterThan(0);
      if (usage.maxBytes !== null) expect(usage.maxBytes).toBeGreaterThan(0);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
