// Team events pushed over responders' sockets: a responder's socket hears its own teams' list
// changes (queue, callbacks, duty) and nothing else, as one frame built once per event; a visitor's
// socket never does.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { captureLogs, fakeCipher, newCid, seedResponder, testConfig, seedTeams } from '../../test/support/harness.js';
import { systemRandom } from '../clock.js';
import { createConversationService } from '../conversations/service.js';
import type { EventBus } from '../events/events.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { Category, ResponderRecord, TeamId } from '../store/ports.js';
import { createConnection, type ConnectionDeps } from './connection.js';
import { createHub } from './hub.js';

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** A socket that keeps the text of every frame sent. */
function fakeSocket() {
  const texts: string[] = [];
  return {
    texts,
    teamFrames: () => texts.filter((t) => t.startsWith('{"t":"team"')),
    socket: { send: (text: string) => void texts.push(text), close: () => undefined, bufferedAmount: () => 0 },
  };
}

async function setup() {
  const config = testConfig();
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  await seedTeams(store);
  const conversations = createConversationService({ store, config, clock: { now: () => Date.now() }, random: systemRandom });
  // Counts how often the bus hands a team event to the hub (once per event and instance, whatever the sockets).
  let teamDeliveries = 0;
  const events: EventBus = {
    ...store.events,
    onTeam: (team, handler) =>
      store.events.onTeam(team, (event) => {
        teamDeliveries += 1;
        handler(event);
      }),
  };
  const hub = createHub(events);
  const deps: ConnectionDeps = { conversations, hub, events, logger: captureLogs().logger('warn'), maxBufferedBytes: 1 << 20, maxFrameChars: config.maxBodyBytes };
  const responder = async (login: string, teams: readonly string[]): Promise<ResponderRecord> => {
    const seeded = await seedResponder(store, login, teams);
    for (const team of teams) await store.duty.setOnDuty(team as TeamId, seeded.id, true);
    await store.duty.heartbeat(seeded.id, 60_000);
    return (await store.staff.getResponder(seeded.id))!;
  };
  const connect = async (who: ResponderRecord) => {
    const fake = fakeSocket();
    const conn = createConnection(fake.socket, who, deps);
    await conn.onMessage(JSON.stringify({ t: 'hello', v: 1 }));
    return { ...fake, conn };
  };
  const open = (category: Category = 'chat') =>
    conversations.open({ id: null, category, language: 'sv', source: '', danger: false, intake: { cid: newCid(), kind: 'intake', body: fakeCipher(64) } });
  return { store, conversations, hub, responder, connect, open, teamDeliveries: () => teamDeliveries };
}

beforeAll(async () => {
  await loadSodium();
});

describe('team events over responder sockets', () => {
  it('tells an idle responder of its team that the queue changed, naming the list only', async () => {
    const t = await setup();
    const anna = await t.responder('anna', ['unga']);
    const socket = await t.connect(anna);
    const opened = await t.open();
    expect(opened.record.team).toBe('unga');
    await eventually(() => expect(socket.teamFrames()).toEqual(['{"t":"team","team":"unga","ev":"queue"}']));
    // Nothing of the conversation is in the frame: no id, category, language or ciphertext.
    expect(socket.teamFrames()[0]).not.toContain(opened.record.id);
  });

  it('pushes claims, transfers to a colleague, and a visitor leaving the queue; callbacks and duty by their own list', async () => {
    const t = await setup();
    const anna = await t.responder('anna', ['unga']);
    const bo = await t.responder('bo', ['unga']);
    const socket = await t.connect(bo);
    await settle();
    socket.texts.length = 0;

    const chat = await t.open();
    await t.conversations.claim(chat.record.id, anna);
    await t.conversations.transfer(chat.record.id, anna, { kind: 'responder', responder: bo.id });
    const left = await t.open();
    await t.conversations.close(left.record.id, null, null);
    const callback = await t.open('callback');
    await t.store.duty.setOnDuty('unga' as TeamId, anna.id, false);
    await eventually(() => expect(socket.teamFrames()).toHaveLength(7));
    expect(socket.teamFrames().map((f) => (JSON.parse(f) as { ev: string }).ev)).toEqual([
      'queue', // opened
      'queue', // claimed
      'queue', // transferred to bo
      'queue', // opened
      'queue', // the visitor left before anyone took it
      'callbacks', // a callback request waits
      'duty', // anna went off duty
    ]);
    expect(callback.record.category).toBe('callback');
  });

  it("hears only its own teams' events; a visitor's socket hears none", async () => {
    const t = await setup();
    const parentsOnly = await t.responder('cecilia', ['foraldrar']);
    await t.responder('anna', ['unga']);
    const responderSocket = await t.connect(parentsOnly);
    const visitorFake = fakeSocket();
    const mine = await t.open();
    const visitor = createConnection(visitorFake.socket, null, {
      conversations: t.conversations,
      hub: t.hub,
      events: t.store.events,
      logger: captureLogs().logger('warn'),
      maxBufferedBytes: 1 << 20,
      maxFrameChars: 1 << 16,
    });
    await visitor.onMessage(JSON.stringify({ t: 'hello', v: 1, c: mine.record.id, token: mine.token, after: null }));
    await t.open();
    await t.store.duty.setOnDuty('unga' as TeamId, 'r-anna' as never, false);
    const parent = await t.open('parent');
    expect(parent.record.team).toBe('foraldrar');
    await eventually(() => expect(responderSocket.teamFrames()).toEqual(['{"t":"team","team":"foraldrar","ev":"queue"}']));
    await settle();
    expect(responderSocket.teamFrames()).toHaveLength(1);
    expect(visitorFake.teamFrames()).toEqual([]);
  });

  it('builds one frame per event for every socket of the team, and lets go of the team when the last socket closes', async () => {
    const t = await setup();
    const sockets: Array<Awaited<ReturnType<typeof t.connect>>> = [];
    for (const login of ['a1', 'a2', 'a3']) sockets.push(await t.connect(await t.responder(login, ['unga'])));
    await settle();
    const before = t.teamDeliveries();
    await t.open();
    await eventually(() => expect(sockets.every((s) => s.teamFrames().length >= 1)).toBe(true));
    await settle();
    expect(t.teamDeliveries() - before).toBe(1);
    const frames = sockets.map((s) => s.teamFrames().at(-1));
    expect(new Set(frames).size).toBe(1);
    expect(t.hub.channelCount()).toBe(1);
    for (const s of sockets) await s.conn.onClose();
    expect(t.hub.channelCount()).toBe(0);
  });
});
