// Frames written to one socket within one event-loop turn leave in one system call: the socket is
// corked at its first frame of the turn, and one setImmediate uncorks every socket corked in that
// turn. On a machine where a write costs more than building the frame, this is what makes frames
// that leave for one socket in the same turn (a reply, or messages arriving together) cost one write.

/** The part of a net.Socket this needs. */
export interface Corkable {
  readonly writableCorked: number;
  cork(): void;
  uncork(): void;
}

export interface WriteBatch {
  /** Call before writing to `socket`: holds its writes until the end of this turn. */
  hold(socket: Corkable): void;
}

export function createWriteBatch(): WriteBatch {
  let corked: Corkable[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const sockets = corked;
    corked = [];
    for (const socket of sockets) socket.uncork();
  };
  return {
    hold(socket) {
      if (socket.writableCorked > 0) return;
      socket.cork();
      corked.push(socket);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
