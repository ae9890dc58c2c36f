// What the console's sub-store tests share: a state slice that records every patch, timers driven by
// hand (no sleeping), a guard that records failures, and a small PKI whose team inbox opens intakes,
// callback requests and consents sealed with crypto/ (real ciphertext, no mocked crypto).
import { createPki, NOW, T0 } from '../../../crypto/fixtures.case.js';
import { conversationIdToString, createCallbackRequest, createIntake, loadSodium, toBase64url } from '../../../crypto/index.js';
import { seededRandom } from '../../../crypto/random.js';
import type { LogEntry } from '../../shared/api-client.js';
import type { MessageId } from '../../../contract/ids.js';
import { createStore } from '../../shared/store.js';
import type { UnlockedKeys } from '../crypto/keys.js';
import type { ArchivedChat, ChatArchive } from './chat-archive.js';
import type { Guard, Slice, Timers } from './ports.js';

export { NOW, T0 };

/** A slice over a fresh store; `patches` lists every set, in order. */
export function fakeSlice<S extends object>(initial: S): Slice<S> & { patches: Array<Partial<S>> } {
  const store = createStore<S>(initial);
  const patches: Array<Partial<S>> = [];
  return {
    get: store.get,
    set(patch) {
      patches.push(patch);
      store.set(patch);
    },
    patches,
  };
}

/** Timers and a clock moved by `advance`, which runs what falls due in order. */
export function fakeTimers(start = T0): Timers & { now: () => number; advance(ms: number): void; pending(): number } {
  let now = start;
  let next = 1;
  const jobs = new Map<number, { at: number; every: number | null; run: () => void }>();
  return {
    now: () => now,
    setInterval(run, ms) {
      jobs.set(next, { at: now + ms, every: ms, run });
      return next++;
    },
    setTimeout(run, ms) {
      jobs.set(next, { at: now + ms, every: null, run });
      return next++;
    },
    clearInterval: (id) => void jobs.delete(id),
    clearTimeout: (id) => void jobs.delete(id),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...jobs.entries()].filter(([, j]) => j.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        const [id, job] = due;
        now = job.at;
        if (job.every === null) jobs.delete(id);
        else job.at += job.every;
        job.run();
      }
      now = end;
    },
    pending: () => jobs.size,
  };
}

/** A guard that swallows failures into `errors` (the session's guard is tested in session-store.test.ts). */
export function recordingGuard(): { guard: Guard; errors: unknown[] } {
  const errors: unknown[] = [];
  return {
    errors,
    guard: async (work) => {
      try {
        return await work();
      } catch (error) {
        errors.push(error);
        return undefined;
      }
    },
  };
}

/** A responder (alice) holding the inbox key of team "unga", and sealers for what visitors send. */
export async function sealedWorld(label: string) {
  await loadSodium();
  const random = seededRandom(label);
  const pki = createPki(random);
  const alice = pki.responder({ id: 'alice', teams: ['unga'], serial: 10 });
  const bob = pki.responder({ id: 'bob', teams: ['unga'], serial: 11 });
  const team = pki.team({ team: 'unga', epoch: 1, serial: 100, member: alice.boxKeyPair });
  const keys: UnlockedKeys = { anchor: pki.anchor, identity: alice.identity, boxKeyPair: alice.boxKeyPair, inbox: new Map([['unga:1', team.inbox]]), snapshotKey: random(32) };
  let n = 0;
  const entry = (body: Uint8Array): LogEntry => ({ id: `${T0}-${n++}` as MessageId, cid: `cid-${n}`, kind: 'intake', from: 'visitor', session: 0, body: toBase64url(body), at: T0 });
  return {
    pki,
    keys,
    bob,
    /** A visitor's intake with first message `text`: its conversation id and log entry. */
    intake(text: string): { id: string; entry: LogEntry } {
      const { wire, pending } = createIntake({ teamCert: team.cert, category: 'chat', text, random });
      return { id: conversationIdToString(pending.conversationId), entry: entry(wire) };
    },
    /** A callback request: its conversation id and log entry. */
    callback(details: { phone: string; timeWindow: string; note: string; verificationWord: string }): { id: string; entry: LogEntry } {
      const { wire, conversationId } = createCallbackRequest({ teamCert: team.cert, callback: { ...details, language: 'sv' }, random });
      return { id: conversationIdToString(conversationId), entry: entry(wire) };
    },
    /** A consent's sealed identity (base64url), as the widget seals it. */
    consent(identity: string): string {
      return toBase64url(createIntake({ teamCert: team.cert, category: 'chat', text: identity, random }).wire);
    },
  };
}

/** This tab's chat archive in memory (the sealed one is tested in chat-archive's callers' e2e tests). */
export function fakeArchive(): ChatArchive & { chats: Map<string, ArchivedChat> } {
  const chats = new Map<string, ArchivedChat>();
  return {
    chats,
    save: (id, chat) => void chats.set(id, chat),
    load: (id) => chats.get(id) ?? null,
    remove: (id) => void chats.delete(id),
  };
}
