// The queue sub-store against an in-memory queue API: first messages opened with the team inbox (a
// spliced intake shows nothing), callbacks left out, transfers marked, the arrival alert rung once per
// new conversation and only when asked for.
import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/api-client.js';
import { fakeSlice, sealedWorld } from './fakes.case.js';
import type { InboxKeys } from './open-sealed.js';
import { createQueueStore, type QueueState } from './queue-store.js';

async function setup() {
  const world = await sealedWorld('queue-store');
  let items: QueueItem[] = [];
  let inbox: InboxKeys | null = world.keys.inbox;
  const calls = { queue: 0, permit: 0, ring: 0 };
  /** Set: the next queue read answers with the items as they were when it started, only when released. */
  let holdNext = false;
  let release: (() => void) | null = null;
  const state = fakeSlice<QueueState>({ queue: [], notify: false });
  const store = createQueueStore({
    state,
    api: {
      queue: async () => {
        calls.queue += 1;
        const answer = { items };
        if (!holdNext) return answer;
        holdNext = false;
        return new Promise<typeof answer>((resolve) => (release = () => resolve(answer)));
      },
    },
    inbox: () => inbox,
    alert: {
      permit: async () => void (calls.permit += 1),
      ring: () => void (calls.ring += 1),
    },
  });
  const item = (id: string, intake: QueueItem['intake'], extra: Partial<QueueItem> = {}): QueueItem => ({
    id,
    team: 'unga',
    category: 'chat',
    language: 'sv',
    source: 'web',
    danger: false,
    waitingMs: 1000,
    intake,
    session: 0,
    fromOrganisation: false,
    ...extra,
  });
  return {
    world,
    store,
    state,
    calls,
    item,
    setItems: (next: QueueItem[]) => void (items = next),
    lock: () => void (inbox = null),
    holdNextRead: () => void (holdNext = true),
    releaseHeld: () => release?.(),
  };
}

describe('queue store', () => {
  it('shows each waiting conversation with its decrypted first message, leaves callbacks out and marks transfers', async () => {
    const { world, store, state, item, setItems } = await setup();
    const a = world.intake('Jag vill ut');
    const b = world.intake('Hjälp');
    setItems([item(a.id, a.entry), item('cb', null, { category: 'callback' }), item(b.id, null, { session: 2 }), item('ho', null, { session: 2, fromOrganisation: true })]);
    await store.refresh();
    expect(state.get().queue.map((q) => [q.id, q.firstMessage, q.transferred, q.fromOrganisation])).toEqual([
      [a.id, 'Jag vill ut', false, false],
      [b.id, null, true, false],
      ['ho', null, true, true],
    ]);
    // The ciphertext never reaches the rendered state.
    expect(JSON.stringify(state.get().queue)).not.toContain(a.entry.body);
  });

  it('shows no first message for an intake the server filed under another conversation', async () => {
    const { world, store, state, item, setItems } = await setup();
    const a = world.intake('för A');
    const b = world.intake('för B');
    setItems([item(b.id, a.entry)]);
    await store.refresh();
    expect(state.get().queue).toHaveLength(1);
    expect(state.get().queue[0]?.firstMessage).toBeNull();
  });

  it('rings for a new arrival only when the responder asked, and once per conversation', async () => {
    const { world, store, calls, item, setItems } = await setup();
    const a = world.intake('ett');
    setItems([item(a.id, a.entry)]);
    await store.refresh();
    expect(calls.ring).toBe(0);
    await store.setNotify(true);
    expect(calls.permit).toBe(1);
    await store.refresh();
    expect(calls.ring).toBe(0); // already seen before notifications were on
    const b = world.intake('två');
    setItems([item(a.id, a.entry), item(b.id, b.entry)]);
    await store.refresh();
    await store.refresh();
    expect(calls.ring).toBe(1);
    await store.setNotify(false);
    expect(calls.permit).toBe(1);
  });

  it('after the session ends, the same conversations ring again; after a lock they do not', async () => {
    const { world, store, calls, item, setItems } = await setup();
    const a = world.intake('ett');
    setItems([item(a.id, a.entry)]);
    await store.setNotify(true);
    await store.refresh();
    expect(calls.ring).toBe(1);
    store.wipe();
    await store.refresh();
    expect(calls.ring).toBe(1);
    store.forget();
    await store.refresh();
    expect(calls.ring).toBe(2);
  });

  it('a lock drops the first messages from memory: locked, nothing opens again', async () => {
    const { world, store, state, item, setItems, lock } = await setup();
    const a = world.intake('hemligt');
    setItems([item(a.id, a.entry)]);
    await store.refresh();
    expect(state.get().queue[0]?.firstMessage).toBe('hemligt');
    store.wipe();
    expect(state.get().queue).toEqual([]);
    lock();
    await store.refresh();
    expect(state.get().queue[0]?.firstMessage).toBeNull();
  });

  it('an answer older than one already shown does not replace it: a slow read from before a visitor arrived does not hide the card', async () => {
    const { world, store, state, item, setItems, holdNextRead, releaseHeld } = await setup();
    holdNextRead();
    const slow = store.refresh(); // the queue is empty as this read starts
    const a = world.intake('Är någon där?');
    setItems([item(a.id, a.entry)]);
    await store.refresh(); // the push of the arrival: its read starts later and answers first
    expect(state.get().queue.map((q) => q.id)).toEqual([a.id]);
    releaseHeld();
    await slow;
    expect(state.get().queue.map((q) => q.id)).toEqual([a.id]);
  });

  it('removes a claimed card and finds cards by id', async () => {
    const { world, store, state, item, setItems } = await setup();
    const a = world.intake('ett');
    const b = world.intake('två');
    setItems([item(a.id, a.entry), item(b.id, b.entry)]);
    await store.refresh();
    expect(store.find(b.id)?.firstMessage).toBe('två');
    store.remove(a.id);
    expect(state.get().queue.map((q) => q.id)).toEqual([b.id]);
    expect(store.find(a.id)).toBeUndefined();
  });
});
