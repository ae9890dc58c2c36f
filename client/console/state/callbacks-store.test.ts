// The callbacks sub-store against an in-memory callbacks API: the list shows each request's time
// window (opened with the team inbox), taking one claims it and reveals number, note and word to
// this responder only, a spliced request reveals nothing, outcomes drop it.
import { describe, expect, it } from 'vitest';
import { createCallbacksStore, type CallbackItem, type CallbacksState } from './callbacks-store.js';
import { fakeSlice, recordingGuard, sealedWorld } from './fakes.case.js';

async function setup() {
  const world = await sealedWorld('callbacks-store');
  const { guard, errors } = recordingGuard();
  let items: CallbackItem[] = [];
  const calls: string[] = [];
  const state = fakeSlice<CallbacksState>({ callbacks: [] });
  const store = createCallbacksStore({
    state,
    api: {
      callbacks: async () => ({ items }),
      claim: async (id) => void calls.push(`claim ${id}`),
      callbackDone: async (id) => void calls.push(`done ${id}`),
      callbackNotReached: async (id) => void calls.push(`not-reached ${id}`),
    },
    inbox: () => world.keys.inbox,
    guard,
  });
  const request = (word: string) => world.callback({ phone: '0701234567', timeWindow: 'efter 16', note: `ring ${word}`, verificationWord: word });
  const item = (id: string, intake: CallbackItem['intake']): CallbackItem => ({ id, team: 'unga', language: 'sv', waitingMs: 5000, attempts: 0, intake });
  return { store, state, calls, errors, request, item, setItems: (next: CallbackItem[]) => void (items = next) };
}

describe('callbacks store', () => {
  it('lists requests with their time window and nothing revealed', async () => {
    const { store, state, request, item, setItems } = await setup();
    const a = request('äpple');
    setItems([item(a.id, a.entry), item('empty', null)]);
    await store.refresh();
    expect(state.get().callbacks.map((c) => [c.id, c.timeWindow, c.revealed])).toEqual([
      [a.id, 'efter 16', null],
      ['empty', null, null],
    ]);
    expect(JSON.stringify(state.get().callbacks)).not.toContain('0701234567');
  });

  it('taking a request claims it, then reveals its number, note and word', async () => {
    const { store, state, calls, request, item, setItems } = await setup();
    const a = request('päron');
    setItems([item(a.id, a.entry)]);
    await store.refresh();
    await store.reveal(a.id);
    expect(calls).toEqual([`claim ${a.id}`]);
    expect(state.get().callbacks[0]?.revealed).toEqual({ phone: '0701234567', note: 'ring päron', verificationWord: 'päron' });
    // Taken here: it stays shown after the server's list no longer has it.
    setItems([]);
    await store.refresh();
    expect(state.get().callbacks.map((c) => c.id)).toEqual([a.id]);
  });

  it('a request the server filed under another conversation reveals nothing', async () => {
    const { store, state, errors, request, item, setItems } = await setup();
    const a = request('citron');
    const b = request('lime');
    setItems([item(b.id, a.entry)]);
    await store.refresh();
    expect(state.get().callbacks[0]?.timeWindow).toBeNull();
    await store.reveal(b.id);
    expect(state.get().callbacks[0]?.revealed).toBeNull();
    expect(errors).toHaveLength(1);
  });

  it('done drops the request; not reached drops it and reads the list again', async () => {
    const { store, state, calls, request, item, setItems } = await setup();
    const a = request('ett');
    const b = request('två');
    setItems([item(a.id, a.entry), item(b.id, b.entry)]);
    await store.refresh();
    await store.done(a.id);
    expect(state.get().callbacks.map((c) => c.id)).toEqual([b.id]);
    setItems([item(b.id, b.entry)]);
    await store.notReached(b.id);
    expect(calls).toEqual([`done ${a.id}`, `not-reached ${b.id}`]);
    expect(state.get().callbacks.map((c) => c.id)).toEqual([b.id]); // back in the list, to try again
    store.clear();
    expect(state.get().callbacks).toEqual([]);
  });
});
