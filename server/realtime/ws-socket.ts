// A `ws` socket as the Connection sees it: its writes within one
// event-loop turn are corked into one system call (write-batch.ts).
import type { WebSocket } from 'ws';
import type { Socket } from './connection.js';
import type { Corkable, WriteBatch } from './write-batch.js';

const TEXT_FRAME = { binary: false } as const;

/** A `ws` socket as the Connection sees it; its writes are batched per event-loop turn. */
export class WsSocket implements Socket {
  constructor(
    private readonly ws: WebSocket,
    private readonly batch: WriteBatch,
  ) {}

  send(text: string | Buffer): void {
    const tcp = (this.ws as unknown as { _socket?: Corkable })._socket;
    if (tcp !== undefined) this.batch.hold(tcp);
    // A text frame also when given bytes (a prebuilt frame: hub.ts).
    this.ws.send(text, TEXT_FRAME);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
}
