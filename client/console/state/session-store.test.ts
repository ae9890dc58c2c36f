// The session sub-store against an in-memory responder API, a fake key deriver and unlocker, and
// timers driven by hand: login sends only the auth key and zeroes both derived keys, the idle lock
// wipes the keys and starts the expiry, unlock needs the right password, the guard ends a session
// the server no longer knows.
import { describe, expect, it } from 'vitest';
import { CryptoError, CryptoErrorCode } from '../../../crypto/api-sumo.js';
import { ApiRequestError } from '../../../contract/errors.js';
import type { ResponderKeys } from '../../../contract/rest.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import { fakeArchive, fakeSlice, fakeTimers } from './fakes.case.js';
import { createSessionStore, type SessionHooks, type SessionState } from './session-store.js';

const BUNDLE = { cert: 'bundle' } as unknown as ResponderKeys;
const KEYS = { inbox: new Map() } as unknown as UnlockedKeys;
const ME = { id: 'alice', displayName: 'Alice', teams: ['unga'], roles: ['responder'] };

function setup(options: { bundle?: 'missing'; loginError?: ApiRequestError; meError?: ApiRequestError } = {}) {
  const timers = fakeTimers();
  const input = new EventTarget();
  const calls: string[] = [];
  const derived: Array<{ authKey: Uint8Array; wrapKey: Uint8Array }> = [];
  const sent: Uint8Array[] = [];
  const wiped: UnlockedKeys[] = [];
  const hooks: string[] = [];
  const state = fakeSlice<SessionState>({ phase: 'login', locale: 'sv', tab: 'callbacks', me: null, notice: null, busy: false });
  const store = createSessionStore({
    state,
    api: {
      loginParams: async (name) => {
        calls.push(`params ${name}`);
        return { salt: 'c2FsdHNhbHRzYWx0c2FsdA', opslimit: 3, memlimit: 65536 };
      },
      login: async (name, authKey, totp) => {
        calls.push(`login ${name} ${totp ?? '-'}`);
        sent.push(authKey.slice());
        if (options.loginError !== undefined) throw options.loginError;
        return ME;
      },
      keyBundle: async () => {
        if (options.bundle === 'missing') throw new ApiRequestError(404, 'not_found', 'no keys', null);
        return BUNDLE;
      },
      me: async () => {
        calls.push('me');
        if (options.meError !== undefined) throw options.meError;
        return ME;
      },
      logout: async () => void calls.push('logout'),
    },
    derive: async (password, salt, params) => {
      calls.push(`derive ${password} ${salt.length} ${params.opslimit}`);
      const keys = { authKey: new Uint8Array(32).fill(1), wrapKey: new Uint8Array(32).fill(password === 'rätt' ? 2 : 3) };
      derived.push(keys);
      return keys;
    },
    rootPublicKey: new Uint8Array(32),
    unlockKeys: async (bundle, wrapKey) => {
      if (bundle !== BUNDLE || wrapKey[0] !== 2) throw new CryptoError(CryptoErrorCode.Tampered, 'wrong password');
      return KEYS;
    },
    wipeKeys: (keys) => void wiped.push(keys),
    openArchive: async () => fakeArchive(),
    input,
    timers,
    now: timers.now,
    idleMs: 60_000,
    lockWipeMs: 600_000,
    hooks: {
      started: (how) => void hooks.push(`started ${how}`),
      wiping: () => void hooks.push('wiping'),
      locked: () => void hooks.push('locked'),
      ended: (how) => void hooks.push(`ended ${how}`),
    } satisfies SessionHooks,
  });
  return { store, state, timers, input, calls, derived, sent, wiped, hooks };
}

/** Lets a timer's promise chain settle (microtasks only). */
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('session store', () => {
  it('logs in with the derived auth key only, zeroes both derived keys and unlocks', async () => {
    const { store, state, calls, derived, sent, hooks } = setup();
    await store.login('alice', 'rätt', '');
    expect(calls).toEqual(['params alice', 'derive rätt 16 3', 'login alice -']);
    expect(sent[0]).toEqual(new Uint8Array(32).fill(1));
    expect(derived[0]?.authKey.every((b) => b === 0)).toBe(true);
    expect(derived[0]?.wrapKey.every((b) => b === 0)).toBe(true);
    expect(state.get()).toMatchObject({ phase: 'ready', me: ME, tab: 'work', busy: false, notice: null });
    expect(store.keys()).toBe(KEYS);
    expect(store.archive()).not.toBeNull();
    expect(hooks).toEqual(['started login']);
    expect(state.patches[0]).toEqual({ busy: true, notice: null });
  });

  it('passes the TOTP code when one is given', async () => {
    const { store, calls } = setup();
    await store.login('alice', 'rätt', '123456');
    expect(calls).toContain('login alice 123456');
  });

  it('an account without certified keys stays on the login screen with its sentence, keys zeroed', async () => {
    const { store, state, derived, hooks } = setup({ bundle: 'missing' });
    await store.login('alice', 'rätt', '');
    expect(state.get()).toMatchObject({ phase: 'login', notice: { key: 'errNoKeys' }, busy: false });
    expect(derived[0]?.wrapKey.every((b) => b === 0)).toBe(true);
    expect(store.keys()).toBeNull();
    expect(hooks).toEqual([]);
  });

  it('turns a refused login into its sentence', async () => {
    const failed = setup({ loginError: new ApiRequestError(401, 'login_failed', 'no', null) });
    await failed.store.login('alice', 'fel', '');
    expect(failed.state.get()).toMatchObject({ phase: 'login', notice: { key: 'errLoginFailed' } });
    expect(failed.derived[0]?.wrapKey.every((b) => b === 0)).toBe(true);
    const limited = setup({ loginError: new ApiRequestError(429, 'rate_limited', 'slow', 42) });
    await limited.store.login('alice', 'fel', '');
    expect(limited.state.get().notice).toEqual({ key: 'errLocked', vars: { seconds: 42 } });
  });

  it('a wrong password that passes the server but opens no keys is errKeys (crypto), still logged out', async () => {
    const { store, state } = setup();
    await store.login('alice', 'fel', '');
    expect(state.get()).toMatchObject({ phase: 'login', notice: { key: 'errKeys' } });
    expect(store.keys()).toBeNull();
  });

  it('locks after the idle time without input; input postpones it', async () => {
    const { store, state, timers, input, hooks, wiped } = setup();
    await store.login('alice', 'rätt', '');
    timers.advance(50_000);
    input.dispatchEvent(new Event('keydown'));
    timers.advance(50_000);
    expect(state.get().phase).toBe('ready');
    timers.advance(11_000);
    expect(state.get().phase).toBe('locked');
    expect(hooks).toEqual(['started login', 'wiping', 'locked']);
    expect(wiped).toEqual([KEYS]);
    expect(store.keys()).toBeNull();
    expect(store.archive()).toBeNull();
  });

  it('unlock needs the right password; the wrong one leaves it locked with a sentence', async () => {
    const { store, state, hooks, calls } = setup();
    await store.login('alice', 'rätt', '');
    store.lock();
    await store.unlock('fel');
    expect(state.get()).toMatchObject({ phase: 'locked', notice: { key: 'errLoginFailed' }, busy: false });
    expect(store.keys()).toBeNull();
    await store.unlock('rätt');
    expect(state.get()).toMatchObject({ phase: 'ready', notice: null });
    expect(store.keys()).toBe(KEYS);
    expect(hooks).toEqual(['started login', 'wiping', 'locked', 'started unlock']);
    // Nothing but a session check is sent on unlock.
    expect(calls.filter((c) => c.startsWith('login'))).toHaveLength(1);
    expect(calls).toContain('me');
  });

  it('a lock that lasts past the expiry logs out and wipes the local copies; an unlock in time stops that', async () => {
    const expired = setup();
    await expired.store.login('alice', 'rätt', '');
    expired.store.lock();
    expired.timers.advance(600_000);
    await settle();
    expect(expired.calls).toContain('logout');
    expect(expired.hooks).toContain('ended local');
    expect(expired.state.get()).toMatchObject({ phase: 'login', notice: { key: 'lockExpired' }, me: null });

    const back = setup();
    await back.store.login('alice', 'rätt', '');
    back.store.lock();
    back.timers.advance(300_000);
    await back.store.unlock('rätt');
    // Past the moment the expiry would have fired, with input now and then so the idle lock stays away.
    for (let t = 0; t < 400_000; t += 50_000) {
      back.input.dispatchEvent(new Event('pointerdown'));
      back.timers.advance(50_000);
    }
    await settle();
    expect(back.calls).not.toContain('logout');
    expect(back.state.get().phase).toBe('ready');
  });

  it('an unlock the server refuses (session gone) ends the session here', async () => {
    const { store, state, hooks } = setup({ meError: new ApiRequestError(401, 'unauthorized', 'gone', null) });
    await store.login('alice', 'rätt', '');
    store.lock();
    await store.unlock('rätt');
    expect(state.get()).toMatchObject({ phase: 'login', notice: null });
    expect(hooks.at(-1)).toBe('ended local');
  });

  it('the guard ends a session the server no longer knows, keeping the sealed copies', async () => {
    const { store, state, hooks } = setup();
    await store.login('alice', 'rätt', '');
    const result = await store.guard(async () => {
      throw new ApiRequestError(401, 'unauthorized', 'gone', null);
    });
    expect(result).toBeUndefined();
    expect(state.get()).toMatchObject({ phase: 'login', me: null, notice: { key: 'sessionEnded' } });
    expect(hooks).toEqual(['started login', 'wiping', 'ended server']);
    expect(store.keys()).toBeNull();
  });

  it('the guard tells a tab whose login another tab replaced, and turns other failures into a sentence', async () => {
    const replaced = setup();
    await replaced.store.login('alice', 'rätt', '');
    await replaced.store.guard(async () => {
      throw new ApiRequestError(403, 'csrf_failed', 'token', null);
    });
    expect(replaced.state.get()).toMatchObject({ phase: 'login', notice: { key: 'sessionReplaced' } });

    const other = setup();
    await other.store.login('alice', 'rätt', '');
    expect(await other.store.guard(async () => 7)).toBe(7);
    await other.store.guard(async () => {
      throw new ApiRequestError(409, 'at_capacity', 'full', null);
    });
    expect(other.state.get()).toMatchObject({ phase: 'ready', notice: { key: 'errAtCapacity' } });
    expect(other.store.keys()).toBe(KEYS);
  });

  it('logout ends the session on the server and here', async () => {
    const { store, state, calls, hooks, timers } = setup();
    await store.login('alice', 'rätt', '');
    await store.logout();
    expect(calls.at(-1)).toBe('logout');
    expect(hooks).toEqual(['started login', 'wiping', 'ended local']);
    expect(state.get()).toMatchObject({ phase: 'login', me: null, notice: null });
    expect(timers.pending()).toBe(0);
  });

  it('switches language, tab and the enrolment screen', () => {
    const { store, state } = setup();
    store.setLocale('ar');
    store.setTab('consents');
    store.startEnrolment();
    expect(state.get()).toMatchObject({ locale: 'ar', tab: 'consents', phase: 'enrol' });
    store.endEnrolment();
    expect(state.get().phase).toBe('login');
  });
});
