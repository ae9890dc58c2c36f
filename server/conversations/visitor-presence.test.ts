// Whether the young person is still there, on the memory store and a manual clock: the grace after the
// last socket closes, a second socket holding it, coming back into the old place, left messages, and
// a taken conversation that stops counting without leaving its responder's list.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { ConversationId, ConversationRecord, ResponderId, TeamId } from '../store/ports.js';
import { queueScore } from './service.js';
import { createVisitorPresence } from './visitor-presence.js';

const TEAM = 'unga' as TeamId;

function setup() {
  const clock = createManualClock();
  const store = createMemoryStore({ clock, sweepIntervalMs: 0 });
  const presence = createVisitorPresence({ store, clock, graceMs: 120_000, ttlMs: 72 * 3_600_000, queueScore });
  const open = async (id: string, queuedAt: number) => {
    const record: ConversationRecord = {
      id: id as ConversationId,
      category: 'chat',
      team: TEAM,
      language: 'sv',
      source: 'direct',
      status: 'waiting',
      tokenHash: '00',
      createdAt: queuedAt,
      queuedAt,
      assignee: null,
      session: 0,
      danger: false,
      outcome: null,
    };
    await store.conversations.create(record, 72 * 3_600_000);
    await store.queues.add(TEAM, record.id, queueScore(record));
    return record.id;
  };
  const queued = async () => (await store.queues.list(TEAM, 10)).map((e) => e.id);
  return { clock, store, presence, open, queued };
}

describe('visitor presence', () => {
  it('takes a conversation out of the queue only after the grace, and back into its old place on return', async () => {
    const { clock, presence, open, queued } = setup();
    const a = await open('a', clock.now());
    const b = await open('b', clock.now() + 1);
    await presence.arrived(a);
    await presence.arrived(b);
    await presence.left(a);
    clock.advance(119_000);
    expect(await presence.sweep()).toBe(0);
    expect(await queued()).toEqual([a, b]);
    clock.advance(2_000);
    expect(await presence.sweep()).toBe(1);
    expect(await queued()).toEqual([b]);
    expect(await presence.isGone(a)).toBe(true);
    // Back with the code: first again, as before it left.
    await presence.arrived(a);
    expect(await queued()).toEqual([a, b]);
    expect(await presence.isGone(a)).toBe(false);
  });

  it('keeps a conversation while one of its sockets is still open, and a message left while nobody was on duty', async () => {
    const { clock, presence, open, queued } = setup();
    const a = await open('a', clock.now());
    await presence.arrived(a);
    await presence.arrived(a);
    await presence.left(a);
    clock.advance(600_000);
    expect(await presence.sweep()).toBe(0);
    const m = await open('m', clock.now());
    await presence.openedAsMessage(m);
    await presence.arrived(m);
    await presence.left(m);
    clock.advance(600_000);
    expect(await presence.sweep()).toBe(0);
    expect(await queued()).toEqual([a, m]);
  });

  it('marks a taken conversation gone without touching its assignment; forget drops the mark', async () => {
    const { clock, store, presence, open } = setup();
    const a = await open('a', clock.now());
    await store.conversations.claim(a, 'r-1' as ResponderId);
    await store.queues.remove(TEAM, a);
    await presence.arrived(a);
    await presence.left(a);
    clock.advance(121_000);
    expect(await presence.sweep()).toBe(1);
    expect(await presence.isGone(a)).toBe(true);
    expect((await store.conversations.get(a))?.status).toBe('active');
    await presence.forget(a);
    expect(await store.expiring.get('visitor-presence', a)).toBeNull();
  });
});
