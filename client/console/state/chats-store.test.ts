// The chats sub-store against an in-memory API, a fake socket, fake tab locks and fake engines (the
// engine's protocol is tested in chat-engine.test.ts): claims subscribe only in the tab that owns the
// conversation, frames reach the right engine, lines and unread counts, transfers only to colleagues
// whose certificates verify, close, dismiss, and the sealed copy that brings chats back after a lock.
import { describe, expect, it } from 'vitest';
import type { MessageId } from '../../../contract/ids.js';
import { toBase64url } from '../../../crypto/index.js';
import type { ArchivedChat } from './chat-archive.js';
import type { ChatEngine, ChatEvent, ChatPhase } from './chat-engine.js';
import { createChatsStore, type ChatMeta, type ChatsState, type Colleagues } from './chats-store.js';
import { fakeArchive, fakeSlice, fakeTimers, recordingGuard, sealedWorld } from './fakes.case.js';
import type { ResponderSocket, ServerFrame } from './socket.js';

interface FakeEngine {
  readonly calls: string[];
  readonly stored: ArchivedChat | null;
  emit(event: ChatEvent): void;
  /** Moves the engine's own phase (and tells the store, as the real engine does). */
  setPhase(phase: ChatPhase): void;
}

async function setup(options: { otherTabOwns?: string[] } = {}) {
  const world = await sealedWorld('chats-store');
  const timers = fakeTimers();
  const { guard, errors } = recordingGuard();
  const archive = fakeArchive();
  const api: string[] = [];
  const socket: string[] = [];
  const released: string[] = [];
  const engines = new Map<string, FakeEngine>();
  let onFrame: (frame: ServerFrame) => void = () => undefined;
  let lastIdOf: (id: string) => string | null = () => null;
  let assigned: ChatMeta[] = [];
  let colleagues: Colleagues = { teams: [], responders: [] };
  const claimed: string[] = [];
  const state = fakeSlice<ChatsState>({ chats: [], activeChat: null, colleagues: null });
  const store = createChatsStore({
    state,
    api: {
      claim: async (id) => void api.push(`claim ${id}`),
      assigned: async () => ({ items: assigned }),
      colleagues: async () => colleagues,
      transfer: async (id, to) => void api.push(`transfer ${id} ${JSON.stringify(to)}`),
      threat: async (id) => void api.push(`threat ${id}`),
      handoverTargets: async () => ({ targets: [HUDDINGE] }),
      offerHandover: async (id, team) => {
        api.push(`handover ${id} ${team}`);
        return HUDDINGE;
      },
      close: async (id, outcome) => void api.push(`close ${id} ${outcome}`),
    },
    keys: () => world.keys,
    archive: () => archive,
    myId: () => 'alice',
    connect: (handler, lastIds) => {
      onFrame = handler;
      lastIdOf = lastIds;
      const s: ResponderSocket = {
        subscribe: (id, after) => void socket.push(`sub ${id} ${after}`),
        unsubscribe: (id) => void socket.push(`unsub ${id}`),
        send: async (id, envelope) => {
          socket.push(`send ${id} ${envelope.kind}`);
          return { id: `${timers.now()}-0` as MessageId, at: timers.now() };
        },
        typing: (id) => void socket.push(`typing ${id}`),
        close: () => void socket.push('close'),
      };
      return s;
    },
    tabs: {
      own: async (id) => !(options.otherTabOwns ?? []).includes(id),
      release: (id) => void released.push(id),
      releaseAll: () => void released.push('*'),
    },
    startEngine: (deps, stored) => {
      let phase: ChatPhase = stored?.snap != null ? 'open' : 'connecting';
      let lastId: string | null = null;
      const calls: string[] = [];
      const setPhase = (next: ChatPhase) => {
        phase = next;
        deps.emit({ type: 'phase', phase: next });
      };
      const engine: ChatEngine = {
        get phase() {
          return phase;
        },
        get lastId() {
          return lastId;
        },
        safetyCode: null,
        onEntry: async (entry) => {
          calls.push(`entry ${entry.id}`);
          lastId = entry.id;
        },
        replayed: async () => void calls.push('replayed'),
        send: async (text) => {
          calls.push(`send ${text}`);
          const { id } = await deps.post({ cid: 'c', kind: 'message', body: text });
          deps.emit({ type: 'text', key: id, from: 'responder', text, at: timers.now() });
        },
        announceTransfer: async (certs) => void calls.push(`announce ${certs.map((c) => c.id).join(',')}`),
        offerHandover: async (target) => void calls.push(`offer ${target.team}`),
        handedOver: () => setPhase('transferred'),
        accessEnded: () => setPhase('lost'),
        close: async () => setPhase('closed'),
        ended: () => setPhase('closed'),
        snapshot: () => (phase === 'open' ? `snap-${deps.id}` : null),
        resumeSnapshot: () => null,
      };
      engines.set(deps.id, { calls, stored, emit: deps.emit, setPhase });
      return { engine, after: stored?.lastId ?? null };
    },
    guard,
    timers,
    now: timers.now,
    claimed: (id) => void claimed.push(id),
  });
  store.connect();
  const meta = (id: string, extra: Partial<ChatMeta> = {}): ChatMeta => ({ id, team: 'unga', category: 'chat', language: 'sv', source: 'web', danger: false, ...extra });
  return {
    world,
    store,
    state,
    timers,
    archive,
    api,
    socket,
    released,
    engines,
    errors,
    claimed,
    frame: (f: ServerFrame) => onFrame(f),
    lastIdOf: (id: string) => lastIdOf(id),
    meta,
    setAssigned: (items: ChatMeta[]) => void (assigned = items),
    setColleagues: (c: Colleagues) => void (colleagues = c),
    chat: (id: string) => state.get().chats.find((c) => c.id === id),
  };
}

const HUDDINGE = { team: 'huddinge-unga', name: 'Huddinge – unga', org: 'huddinge', orgName: 'Huddinge kommun' };

const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('chats store', () => {
  it('a claim starts the chat, makes it active, drops the queue card and subscribes from the start', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1', { danger: true }));
    expect(t.api).toEqual(['claim c1']);
    expect(t.claimed).toEqual(['c1']);
    expect(t.state.get().activeChat).toBe('c1');
    expect(t.chat('c1')).toMatchObject({ id: 'c1', team: 'unga', danger: true, phase: 'connecting', lines: [], unread: 0 });
    expect(t.socket).toEqual(['sub c1 null']);
    expect(t.engines.get('c1')?.stored).toBeNull();
  });

  it('a conversation another tab owns is marked elsewhere and not subscribed here', async () => {
    const t = await setup({ otherTabOwns: ['c1'] });
    await t.store.claim(t.meta('c1'));
    expect(t.chat('c1')?.phase).toBe('elsewhere');
    expect(t.socket).toEqual([]);
  });

  it('feeds each frame to its own engine and seals the chat after each', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    await t.store.claim(t.meta('c2'));
    t.frame({ t: 'msg', c: 'c1', e: { id: '5-0' as MessageId, cid: 'x', kind: 'message', from: 'visitor', session: 1, body: 'AA', at: 5 } });
    t.frame({ t: 'subscribed', c: 'c2' });
    t.frame({ t: 'msg', c: 'unknown', e: { id: '6-0' as MessageId, cid: 'y', kind: 'message', from: 'visitor', session: 1, body: 'AA', at: 6 } });
    await settle();
    expect(t.engines.get('c1')?.calls).toEqual(['entry 5-0']);
    expect(t.engines.get('c2')?.calls).toEqual(['replayed']);
    expect(t.archive.chats.get('c1')?.lastId).toBe('5-0');
    expect(t.archive.chats.has('c2')).toBe(true);
  });

  it('counts unread visitor lines in chats not open on screen, and clears them when opened', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    await t.store.claim(t.meta('c2'));
    const c1 = t.engines.get('c1')!;
    c1.emit({ type: 'text', key: 'a', from: 'visitor', text: 'hej', at: 1 });
    c1.emit({ type: 'text', key: 'a', from: 'visitor', text: 'hej', at: 1 }); // the same entry again
    c1.emit({ type: 'text', key: 'b', from: 'visitor', text: 'är du där?', at: 2 });
    expect(t.chat('c1')).toMatchObject({ unread: 2 });
    expect(t.chat('c1')?.lines.map((l) => l.text)).toEqual(['hej', 'är du där?']);
    t.engines.get('c2')!.emit({ type: 'text', key: 'c', from: 'visitor', text: 'hallå', at: 3 });
    expect(t.chat('c2')?.unread).toBe(0); // c2 is active
    t.store.openChat('c1');
    expect(t.chat('c1')?.unread).toBe(0);
    expect(t.archive.chats.get('c1')?.lines).toHaveLength(2);
  });

  it('shows the visitor typing for four seconds, and system lines for closed, erased and tampered', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    t.frame({ t: 'typing', c: 'c1', from: 'visitor' });
    t.frame({ t: 'typing', c: 'c1', from: 'responder' });
    expect(t.chat('c1')?.typing).toBe(true);
    t.timers.advance(4000);
    expect(t.chat('c1')?.typing).toBe(false);
    t.engines.get('c1')!.emit({ type: 'visitor-closed' });
    t.timers.advance(1);
    t.engines.get('c1')!.emit({ type: 'tampered' });
    t.timers.advance(1);
    t.frame({ t: 'erased', c: 'c1' });
    expect(t.chat('c1')?.lines.map((l) => [l.from, l.text])).toEqual([
      ['system', 'visitorClosed'],
      ['system', 'tampered'],
      ['system', 'erased'],
    ]);
    expect(t.chat('c1')?.phase).toBe('closed');
  });

  it('a subscription the server ends loses the chat unless it was handed over or closed', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    await t.store.claim(t.meta('c2'));
    t.frame({ t: 'state', c: 'c2', status: 'closed', session: 1 });
    t.frame({ t: 'unsubscribed', c: 'c1', reason: 'revoked' });
    t.frame({ t: 'unsubscribed', c: 'c2', reason: 'closed' });
    expect(t.chat('c1')?.phase).toBe('lost');
    expect(t.chat('c2')?.phase).toBe('closed');
  });

  it('starts chats for conversations assigned elsewhere (not callbacks), continuing their sealed copy', async () => {
    const t = await setup();
    t.archive.save('c3', { snap: 'sealed', psk: null, lastId: '9-1', lines: [{ key: 'k', from: 'visitor', text: 'förra gången', at: 1 }] });
    t.setAssigned([t.meta('c3'), t.meta('cb', { category: 'callback' })]);
    await t.store.refreshAssigned();
    await t.store.refreshAssigned();
    expect(t.state.get().chats.map((c) => c.id)).toEqual(['c3']);
    expect(t.chat('c3')?.lines.map((l) => l.text)).toEqual(['förra gången']);
    expect(t.engines.get('c3')?.stored?.snap).toBe('sealed');
    expect(t.socket).toEqual(['sub c3 9-1']);
  });

  it("resumes after its own stored send: an ack stands where the message would, a duplicate's does not", async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    t.frame({ t: 'msg', c: 'c1', e: { id: '5-0', from: 'visitor', session: 1, cid: 'v'.repeat(16), kind: 'message', body: 'x' } as never });
    expect(t.lastIdOf('c1')).toBe('5-0');
    t.frame({ t: 'ack', c: 'c1', cid: 'r'.repeat(16), id: '6-0', dup: false });
    expect(t.lastIdOf('c1')).toBe('6-0');
    t.frame({ t: 'ack', c: 'c1', cid: 'r'.repeat(16), id: '6-0', dup: true });
    t.frame({ t: 'ack', c: 'c1', cid: 'q'.repeat(16), id: '2-0', dup: true });
    expect(t.lastIdOf('c1')).toBe('6-0');
  });

  it('sends through the engine; an empty text sends nothing', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    expect(await t.store.send('c1', '   ')).toBe(false);
    expect(await t.store.send('c1', 'Hej, jag heter Alice')).toBe(true);
    expect(await t.store.send('nope', 'x')).toBe(false);
    // Over the socket, as the visitor writes (acknowledged once stored), not over HTTP.
    expect(t.api).toEqual(['claim c1']);
    expect(t.socket.at(-1)).toBe('send c1 message');
    expect(t.chat('c1')?.lines.map((l) => [l.from, l.text])).toEqual([['responder', 'Hej, jag heter Alice']]);
    t.store.typing('c1');
    expect(t.socket.at(-1)).toBe('typing c1');
  });

  it('transfers to the team only the colleagues whose certificates verify, never to itself', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    const bob = toBase64url(t.world.bob.certBytes);
    t.setColleagues({
      teams: [{ id: 'unga', name: 'Unga', specialist: false }],
      responders: [
        { id: 'alice', displayName: 'A', teams: ['unga'], cert: bob, onDuty: [] },
        { id: 'bob', displayName: 'B', teams: ['unga'], cert: bob, onDuty: [] },
        { id: 'mallory', displayName: 'M', teams: ['unga'], cert: toBase64url(new Uint8Array(80)), onDuty: [] },
        { id: 'dave', displayName: 'D', teams: ['vuxna'], cert: bob, onDuty: [] },
      ],
    });
    await t.store.transfer('c1', { toTeam: 'unga' });
    expect(t.engines.get('c1')?.calls).toEqual(['announce bob']);
    expect(t.api.at(-1)).toBe('transfer c1 {"toTeam":"unga"}');
    expect(t.chat('c1')?.phase).toBe('transferred');
    expect(t.socket.at(-1)).toBe('unsub c1');
    expect(t.state.get().colleagues?.responders).toHaveLength(4);
  });

  it('refuses a transfer nobody certified can receive, and sends threats to the threat route', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    t.setColleagues({ teams: [{ id: 'hot', name: 'Hot', specialist: true }], responders: [{ id: 'bob', displayName: 'B', teams: ['hot'], cert: toBase64url(t.world.bob.certBytes), onDuty: [] }] });
    await t.store.transfer('c1', { toResponder: 'carol' });
    expect(t.errors).toHaveLength(1);
    expect(t.api).toEqual(['claim c1']);
    expect(t.chat('c1')?.phase).toBe('connecting');
    // The threat team is the specialist team; bob's certificate names team "unga", the chat's own team.
    await t.store.transfer('c1', { threat: true });
    expect(t.api.at(-1)).toBe('threat c1');
    expect(t.chat('c1')?.phase).toBe('transferred');
  });

  it('offers a handover to another organisation and follows the young person’s answer: no keeps the chat, yes ends it here', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    await t.store.claim(t.meta('c2'));
    t.engines.get('c1')?.setPhase('open');
    t.engines.get('c2')?.setPhase('open');
    await t.store.loadColleagues();
    expect(t.state.get().handoverTargets).toEqual([HUDDINGE]);
    await t.store.offerHandover('c1', HUDDINGE);
    await t.store.offerHandover('c2', HUDDINGE);
    expect(t.api.slice(-2)).toEqual(['handover c1 huddinge-unga', 'handover c2 huddinge-unga']);
    expect(t.engines.get('c1')?.calls).toContain('offer huddinge-unga');
    expect(t.chat('c1')?.handover).toEqual({ state: 'asked', target: HUDDINGE });
    // No (inside the session): the chat stays here; access ending later is not a handover.
    t.engines.get('c1')?.emit({ type: 'handover-answer', team: 'huddinge-unga', accepted: false });
    expect(t.chat('c1')?.handover?.state).toBe('declined');
    // Yes: the server moves it away; whether the answer or the move arrives first, the chat was handed over.
    t.frame({ t: 'unsubscribed', c: 'c2', reason: 'transferred' } as ServerFrame);
    expect(t.chat('c2')).toMatchObject({ phase: 'transferred', handover: { state: 'accepted', target: HUDDINGE } });
    t.frame({ t: 'unsubscribed', c: 'c1', reason: 'transferred' } as ServerFrame);
    expect(t.chat('c1')?.phase).toBe('lost');
  });

  it('closes with an outcome, then dismisses the chat and its sealed copy', async () => {
    const t = await setup();
    await t.store.claim(t.meta('c1'));
    await t.store.close('c1', 'helped');
    expect(t.api.at(-1)).toBe('close c1 helped');
    expect(t.socket.at(-1)).toBe('unsub c1');
    expect(t.chat('c1')?.phase).toBe('closed');
    expect(t.archive.chats.has('c1')).toBe(true);
    t.store.dismiss('c1');
    expect(t.state.get()).toMatchObject({ chats: [], activeChat: null });
    expect(t.archive.chats.has('c1')).toBe(false);
    expect(t.released).toEqual(['c1']);
  });

  it('a lock seals every chat and hides its lines; an unlock brings them back from the sealed copies', async () => {
    const t = await setup();
    await t.store.claim(t.meta('open'));
    await t.store.claim(t.meta('done'));
    t.engines.get('open')!.setPhase('open');
    t.engines.get('open')!.emit({ type: 'text', key: 'a', from: 'visitor', text: 'hemligt', at: 1 });
    await t.store.close('done', 'helped');
    t.store.wipe();
    t.store.hideLines();
    expect(t.released).toEqual(['*']);
    expect(t.state.get().chats.every((c) => c.lines.length === 0)).toBe(true);
    expect(t.archive.chats.get('open')?.snap).toBe('snap-open');

    t.store.disconnect();
    const previous = t.store.detach();
    expect(t.state.get().chats).toEqual([]);
    t.store.connect();
    t.socket.length = 0;
    await t.store.restore(previous);
    expect(t.state.get().chats.map((c) => [c.id, c.phase, c.lines.length])).toEqual([
      ['open', 'open', 1],
      ['done', 'closed', 0],
    ]);
    expect(t.engines.get('open')?.stored?.snap).toBe('snap-open');
    expect(t.socket).toEqual(['sub open null']);
  });
});
