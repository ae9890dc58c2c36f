// The events codec: what adapters publish reads back as the same typed event; a msg event is read
// as far as its id, cid and sender without parsing, and its entry's JSON is kept as published.
import { describe, expect, it } from 'vitest';
import type { LogEntry, MessageId, ResponderId, TeamId } from '../store/ports.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { decodeConversationEvent, decodeStaffEvent, decodeTeamEvent, encodeEvent, RESYNC_PAYLOAD, type ConversationEvent, type TeamEvent } from './events.js';

const entry: LogEntry = { id: '1700000000000-3' as MessageId, from: 'responder', session: 2, cid: 'c'.repeat(20), kind: 'message', body: 'QUJD', at: 1_700_000_000_000 };

describe('domain events codec', () => {
  it('reads a msg event without parsing: id, cid, sender and the entry as published', () => {
    const payload = encodeEvent({ t: 'msg', entry });
    const event = decodeConversationEvent(payload);
    expect(event).toEqual({ t: 'msg', id: entry.id, cid: entry.cid, from: 'responder', entryJson: JSON.stringify(entry) });
    expect(payload).toBe(`{"t":"msg","entry":${JSON.stringify(entry)}}`);
  });

  it('writes msg and state events in their layouts, as JSON.stringify of the event in field order would', () => {
    expect(encodeEvent({ t: 'msg', entry })).toBe(JSON.stringify({ t: 'msg', entry }));
    expect(encodeEvent({ t: 'state', status: 'closed', session: 3 })).toBe('{"t":"state","status":"closed","session":3}');
  });

  it('reads a msg event of another field order the slow way, to the same result', () => {
    const reordered = `{"entry":{"body":"QUJD","kind":"message","cid":"${entry.cid}","session":2,"from":"responder","at":1700000000000,"id":"${entry.id}"},"t":"msg"}`;
    const event = decodeConversationEvent(reordered);
    expect(event.t === 'msg' && { id: event.id, cid: event.cid, from: event.from, entry: JSON.parse(String(event.entryJson)) as unknown }).toEqual({
      id: entry.id,
      cid: entry.cid,
      from: 'responder',
      entry,
    });
  });

  it('round-trips every other conversation, team and staff event', () => {
    const conversation: ConversationEvent[] = [{ t: 'state', status: 'active', session: 1 }, { t: 'typing', from: 'visitor' }, { t: 'erased' }, { t: 'resync' }];
    for (const e of conversation) expect(decodeConversationEvent(encodeEvent(e))).toEqual(e);
    const c = 'A'.repeat(22) as never;
    const team: TeamEvent[] = [
      { t: 'queued', c, category: 'chat', danger: true },
      { t: 'claimed', c, category: 'callback' },
      { t: 'transferred', c, category: 'parent' },
      { t: 'closed', c, category: 'chat' },
      { t: 'erased', c, category: 'callback' },
      { t: 'gone', c, category: 'chat' },
      { t: 'duty' },
      { t: 'resync' },
    ];
    for (const e of team) expect(decodeTeamEvent(encodeEvent(e))).toEqual(e);
    const staff = { t: 'deactivated', responder: 'r-x' as ResponderId } as const;
    expect(decodeStaffEvent(encodeEvent(staff))).toEqual(staff);
    expect(decodeTeamEvent(RESYNC_PAYLOAD)).toEqual({ t: 'resync' });
  });

  it('delivers through a store by domain address, each topic to its own handlers', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const got: Array<[string, TeamEvent]> = [];
    const offA = await store.events.onTeam('a' as TeamId, (e) => got.push(['a', e]));
    const offB = await store.events.onTeam('b' as TeamId, (e) => got.push(['b', e]));
    await store.events.toTeam('a' as TeamId, { t: 'duty' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(got).toEqual([['a', { t: 'duty' }]]);
    await offA();
    await offB();
    await store.close();
  });
});
