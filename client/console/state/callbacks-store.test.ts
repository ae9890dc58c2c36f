// The callbacks sub-store against an in-memory callbacks API with real ciphertext: the lists carry no
// number; a held request is opened and re-sealed to this responder and to verified supervisors only
// (the team-sealed copy is not opened again), a spliced request opens nothing; taking, not reached and
// done go to the server; a supervisor's reveal opens the copy sealed to them; the lock forgets numbers.
import { describe, expect, it } from 'vitest';
import { conversationIdFromString, fromBase64url, openResealedCallback, toBase64url } from '../../../crypto/api-sumo.js';
import { createCallbacksStore, type CallbackItem, type CallbackLists, type CallbacksState } from './callbacks-store.js';
import { T0, fakeSlice, recordingGuard, sealedWorld } from './fakes.case.js';

async function setup() {
  const world = await sealedWorld('callbacks-store');
  const sara = world.pki.responder({ id: 'sara', teams: ['unga'], roles: ['supervisor'], serial: 12 });
  const outsider = world.pki.responder({ id: 'olle', teams: ['foraldrar'], roles: ['supervisor'], serial: 13 });
  const { guard, errors } = recordingGuard();
  const calls: string[] = [];
  const sealed = new Map<string, { kind: 'team' | 'own'; sealed: string }>();
  const resealed: Array<{ id: string; own: string; supervisors: Record<string, string> }> = [];
  let lists: CallbackLists = { waiting: [], mine: [], done: [], team: [], onDutyTeams: ['unga'], now: T0 };
  const state = fakeSlice<CallbacksState>({ callbacks: null, callbackNumbers: {} });
  let locked = false;
  const store = createCallbacksStore({
    state,
    api: {
      callbackLists: async () => lists,
      callbackClaim: async (id) => void calls.push(`claim ${id}`),
      callbackSealed: async (id) => {
        calls.push(`sealed ${id}`);
        const copy = sealed.get(id);
        if (copy === undefined) throw new Error('not_assignee');
        return copy;
      },
      callbackReseal: async (id, copies) => {
        resealed.push({ id, ...copies });
        sealed.set(id, { kind: 'own', sealed: copies.own });
      },
      callbackReveal: async (id) => {
        calls.push(`reveal ${id}`);
        return { kind: 'team', sealed: sealed.get(id)?.sealed ?? '' };
      },
      callbackDone: async (id) => void calls.push(`done ${id}`),
      callbackNotReached: async (id) => void calls.push(`not-reached ${id}`),
      colleagues: async () => ({
        responders: [sara, outsider, world.bob].map((r) => ({ id: r.identity.cert.id, cert: toBase64url(r.identity.cert.bytes) })),
      }),
    },
    keys: () => (locked ? null : world.keys),
    guard,
    now: () => T0,
  });
  const request = (word: string) => world.callback({ phone: '0701234567', timeWindow: 'efter 16', note: `ring ${word}`, verificationWord: word });
  const item = (id: string, overrides: Partial<CallbackItem> = {}): CallbackItem => ({
    id,
    team: 'unga',
    language: 'sv',
    source: 'web',
    state: 'claimed',
    createdAt: T0 - 60_000,
    claimedAt: T0,
    doneAt: null,
    autoAssigned: false,
    attempts: [],
    heldBy: null,
    resealed: false,
    ...overrides,
  });
  return {
    world,
    sara,
    store,
    state,
    calls,
    errors,
    sealed,
    resealed,
    request,
    item,
    setLists: (next: Partial<CallbackLists>) => void (lists = { ...lists, ...next }),
    lock: () => void (locked = true),
  };
}

describe('callbacks store', () => {
  it('a held request is opened, re-sealed to me and to the verified supervisors of its team, and not opened from the team copy again', async () => {
    const { world, sara, store, state, calls, sealed, resealed, request, item, setLists } = await setup();
    const a = request('päron');
    sealed.set(a.id, { kind: 'team', sealed: a.entry.body });
    setLists({ mine: [item(a.id, { autoAssigned: true })] });
    await store.refresh();
    expect(state.get().callbackNumbers[a.id]).toEqual({ phone: '0701234567', timeWindow: 'efter 16', note: 'ring päron', verificationWord: 'päron' });
    // The lists themselves never hold a number.
    expect(JSON.stringify(state.get().callbacks)).not.toContain('0701234567');
    expect(resealed).toHaveLength(1);
    const copy = resealed[0]!;
    const id = conversationIdFromString(a.id);
    expect(openResealedCallback(fromBase64url(copy.own), id, world.keys.boxKeyPair).phone).toBe('0701234567');
    // Sara (supervisor of unga) gets a copy; Olle (supervisor of another team) and Bob (no supervisor) do not.
    expect(Object.keys(copy.supervisors)).toEqual(['sara']);
    expect(openResealedCallback(fromBase64url(copy.supervisors.sara!), id, sara.boxKeyPair).verificationWord).toBe('päron');
    // A reload (fresh memory): opened from my own copy, not re-sealed again.
    state.set({ callbackNumbers: {} });
    await store.refresh();
    expect(state.get().callbackNumbers[a.id]).toMatchObject({ phone: '0701234567' });
    expect(resealed).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('sealed'))).toHaveLength(2);
  });

  it('waiting requests are listed without being opened; taking one goes to the server', async () => {
    const { store, state, calls, request, item, setLists } = await setup();
    const a = request('äpple');
    setLists({ waiting: [item(a.id, { state: 'waiting', claimer: undefined, claimedAt: null } as Partial<CallbackItem>)] });
    await store.refresh();
    expect(state.get().callbacks?.waiting.map((c) => c.id)).toEqual([a.id]);
    expect(state.get().callbackNumbers).toEqual({});
    expect(calls).toEqual([]);
    await store.take(a.id);
    expect(calls).toEqual([`claim ${a.id}`]);
  });

  it('a request the server filed under another callback opens nothing and is not re-sealed', async () => {
    const { store, state, sealed, resealed, request, item, setLists } = await setup();
    const a = request('citron');
    const b = request('lime');
    sealed.set(a.id, { kind: 'team', sealed: b.entry.body });
    setLists({ mine: [item(a.id)] });
    await store.refresh();
    expect(state.get().callbackNumbers[a.id]).toBe('unreadable');
    expect(resealed).toEqual([]);
  });

  it('not reached and done go to the server; a number leaves memory with its callback and with the lock', async () => {
    const { store, state, calls, sealed, request, item, setLists, lock } = await setup();
    const a = request('kiwi');
    sealed.set(a.id, { kind: 'team', sealed: a.entry.body });
    setLists({ mine: [item(a.id)] });
    await store.refresh();
    await store.notReached(a.id);
    expect(calls).toContain(`not-reached ${a.id}`);
    setLists({ mine: [], done: [item(a.id, { state: 'done', doneAt: T0 })] });
    await store.done(a.id);
    expect(calls).toContain(`done ${a.id}`);
    expect(state.get().callbackNumbers).toEqual({});
    expect(state.get().callbacks?.done.map((c) => c.id)).toEqual([a.id]);
    lock();
    store.clear();
    expect(state.get()).toEqual({ callbacks: null, callbackNumbers: {} });
  });

  it('a supervisor reveal asks the server (which audits it) and opens what comes back', async () => {
    const { store, state, calls, sealed, request, item, setLists } = await setup();
    const a = request('mango');
    sealed.set(a.id, { kind: 'team', sealed: a.entry.body });
    setLists({ team: [item(a.id, { heldBy: 'Bob' })] });
    await store.refresh();
    expect(state.get().callbackNumbers).toEqual({});
    await store.reveal(a.id);
    expect(calls).toEqual([`reveal ${a.id}`]);
    expect(state.get().callbackNumbers[a.id]).toMatchObject({ verificationWord: 'mango' });
  });
});
