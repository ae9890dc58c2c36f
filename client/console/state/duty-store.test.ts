// The duty sub-store against an in-memory duty API: going on duty reads duty and the queue again, and
// the heartbeat beats at the server's interval only while ready and on duty (timers driven by hand).
import { describe, expect, it } from 'vitest';
import { createDutyStore, type DutyState, type DutyStatus } from './duty-store.js';
import { fakeSlice, fakeTimers, recordingGuard } from './fakes.case.js';

function setup(heartbeatMs?: number) {
  const timers = fakeTimers();
  const { guard, errors } = recordingGuard();
  const onDuty = new Set<string>();
  const calls: string[] = [];
  let ready = true;
  let failNext = false;
  /** Set: the next duty read answers with the status as it started, only when released. */
  let hold: { release: () => void } | null = null;
  let holdNext = false;
  const state = fakeSlice<DutyState>({ duty: null });
  const status = (): DutyStatus => ({
    teams: ['unga', 'vuxna'].map((team) => ({ team, name: team, onDuty: onDuty.has(team), inHours: true, colleaguesOnDuty: 0, waiting: 0 })),
    capacity: 2,
    load: 0,
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
  });
  const store = createDutyStore({
    state,
    api: {
      duty: async () => {
        const answer = status();
        if (!holdNext) return answer;
        holdNext = false;
        return new Promise<DutyStatus>((resolve) => (hold = { release: () => resolve(answer) }));
      },
      setDuty: async (team, on, capacity) => {
        calls.push(`duty ${team} ${on} ${capacity ?? '-'}`);
        if (failNext) {
          failNext = false;
          throw new Error('refused');
        }
        if (on) onDuty.add(team);
        else onDuty.delete(team);
      },
      heartbeat: async () => void calls.push('beat'),
    },
    guard,
    timers,
    now: timers.now,
    isReady: () => ready,
    changed: async () => void calls.push('queue'),
  });
  return {
    store,
    state,
    timers,
    calls,
    errors,
    setReady: (r: boolean) => void (ready = r),
    failNext: () => void (failNext = true),
    holdNextRead: () => void (holdNext = true),
    releaseHeld: () => hold?.release(),
  };
}

/** Lets the promises started by a timer settle (microtasks only; no time passes). */
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('duty store', () => {
  it('going on duty sets it on the server, then reads duty and the queue again', async () => {
    const { store, state, calls } = setup();
    await store.setDuty('unga', true, 3);
    expect(calls).toEqual(['duty unga true 3', 'queue']);
    expect(state.get().duty?.teams.find((t) => t.team === 'unga')?.onDuty).toBe(true);
    expect(state.get().duty?.teams.find((t) => t.team === 'vuxna')?.onDuty).toBe(false);
  });

  it('a refused change is a guarded failure: duty and queue are not read', async () => {
    const { store, state, calls, errors, failNext } = setup();
    failNext();
    await store.setDuty('unga', true);
    expect(errors).toHaveLength(1);
    expect(calls).toEqual(['duty unga true -']);
    expect(state.get().duty).toBeNull();
  });

  it('beats at the interval the server asks for, only while on duty and ready', async () => {
    const { store, timers, calls, setReady } = setup(3000);
    store.startHeartbeat();
    timers.advance(10_000);
    await settle();
    expect(calls.filter((c) => c === 'beat')).toHaveLength(0); // not on duty
    await store.setDuty('unga', true);
    calls.length = 0;
    timers.advance(3000);
    await settle();
    expect(calls).toEqual(['beat']);
    timers.advance(3000);
    await settle();
    expect(calls).toEqual(['beat', 'beat']);
    setReady(false);
    timers.advance(10_000);
    await settle();
    expect(calls).toEqual(['beat', 'beat']);
  });

  it('defaults to a 10 s heartbeat and stops when told', async () => {
    const { store, timers, calls } = setup();
    await store.setDuty('unga', true);
    calls.length = 0;
    store.startHeartbeat();
    timers.advance(20_500);
    await settle();
    expect(calls.filter((c) => c === 'beat')).toHaveLength(3);
    store.stopHeartbeat();
    expect(timers.pending()).toBe(0);
    timers.advance(60_000);
    await settle();
    expect(calls.filter((c) => c === 'beat')).toHaveLength(3);
  });

  it('an answer older than one already shown does not replace it: a read before going on duty that arrives after the one behind it', async () => {
    const { store, state, holdNextRead, releaseHeld } = setup();
    // A read (a push, the socket coming back) starts while the responder is still off duty, and its
    // answer is slow; going on duty meanwhile reads again, and that answer comes first.
    holdNextRead();
    const slow = store.refresh();
    await settle();
    await store.setDuty('unga', true);
    expect(state.get().duty?.teams.find((t) => t.team === 'unga')?.onDuty).toBe(true);
    releaseHeld();
    await slow;
    expect(state.get().duty?.teams.find((t) => t.team === 'unga')?.onDuty).toBe(true);
  });

  it('reset forgets the duty status', async () => {
    const { store, state } = setup();
    await store.refresh();
    expect(state.get().duty).not.toBeNull();
    store.reset();
    expect(state.get().duty).toBeNull();
  });
});
