// The responder socket's sends: acknowledged only by the server's ack, sent again with the same client
// id after a reconnect (and after a refusal over the frame rate) until they are, rejected with the
// server's code; up and down told to the console; team frames passed on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../contract/errors.js';
import { fakeTimers } from './fakes.case.js';
import { createResponderSocket, type ServerFrame } from './socket.js';

class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  readonly sent: Array<Record<string, unknown>> = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close() {
    this.onclose?.();
  }
  /** The server side: opens, answers hello with ready. */
  accept() {
    this.onopen?.();
    this.receive({ t: 'ready', role: 'responder' });
  }
  receive(frame: ServerFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const envelope = (cid: string) => ({ cid, kind: 'message' as const, body: 'QUJD' });

function setup() {
  const timers = fakeTimers();
  const win = { ...timers, location: { protocol: 'http:', host: 'example.test' } } as unknown as Window;
  const frames: ServerFrame[] = [];
  const status: boolean[] = [];
  const socket = createResponderSocket(win, (f) => frames.push(f), () => '7-0', (up) => status.push(up));
  const current = () => FakeWebSocket.all.at(-1)!;
  return { timers, socket, frames, status, current };
}

const original = globalThis.WebSocket;
beforeEach(() => {
  FakeWebSocket.all = [];
  (globalThis as { WebSocket: unknown }).WebSocket = FakeWebSocket;
});
afterEach(() => {
  (globalThis as { WebSocket: unknown }).WebSocket = original;
});

describe('responder socket', () => {
  it('resolves a send only with its ack, and sends it again with the same cid after a reconnect', async () => {
    const t = setup();
    t.current().accept();
    expect(t.status).toEqual([true]);
    t.socket.subscribe('c1', null);
    let stored: { id: string } | null = null;
    void t.socket.send('c1', envelope('cid-one-0000000000')).then((s) => (stored = s));
    expect(t.current().sent.at(-1)).toEqual({ t: 'send', c: 'c1', e: envelope('cid-one-0000000000') });

    // The socket drops before the ack: down, then up again; the subscription comes first, then the send.
    t.current().close();
    expect(t.status).toEqual([true, false]);
    t.timers.advance(1_000);
    t.current().accept();
    expect(t.current().sent.slice(1)).toEqual([
      { t: 'sub', c: 'c1', after: '7-0' },
      { t: 'send', c: 'c1', e: envelope('cid-one-0000000000') },
    ]);
    await Promise.resolve();
    expect(stored).toBeNull();
    t.current().receive({ t: 'ack', c: 'c1', cid: 'cid-one-0000000000', id: '8-0', dup: true });
    await Promise.resolve();
    expect(stored).toMatchObject({ id: '8-0' });
    expect(t.frames.at(-1)).toMatchObject({ t: 'ack', id: '8-0' });
  });

  it("rejects a send with the server's error code", async () => {
    const t = setup();
    t.current().accept();
    const sent = t.socket.send('c1', envelope('cid-two-0000000000'));
    t.current().receive({ t: 'error', code: 'not_assignee', message: 'no', c: 'c1', cid: 'cid-two-0000000000' });
    const error = await sent.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as ApiRequestError).code).toBe('not_assignee');
  });

  it('sends again what waits after a refusal over the frame rate', () => {
    const t = setup();
    t.current().accept();
    void t.socket.send('c1', envelope('cid-three-00000000'));
    t.current().receive({ t: 'error', code: 'socket_rate_limited', message: 'slow down' });
    const before = t.current().sent.length;
    t.timers.advance(1_000);
    expect(t.current().sent.slice(before)).toEqual([{ t: 'send', c: 'c1', e: envelope('cid-three-00000000') }]);
  });

  it('passes team frames on, and rejects what waits when closed', async () => {
    const t = setup();
    t.current().accept();
    t.current().receive({ t: 'team', team: 'unga', ev: 'queue' });
    expect(t.frames.at(-1)).toEqual({ t: 'team', team: 'unga', ev: 'queue' });
    const sent = t.socket.send('c1', envelope('cid-four-000000000'));
    t.socket.close();
    await expect(sent).rejects.toThrow('socket closed');
    await expect(t.socket.send('c1', envelope('cid-five-000000000'))).rejects.toThrow('socket closed');
  });
});
