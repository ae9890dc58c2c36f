// At most one batch of a kind of command in flight on a connection: calls that arrive while one is
// waiting for its replies wait for it, then go out together (node-redis writes every command of one
// event-loop turn in one write). Under load the appends of many sockets then cost Redis one read
// and one write per batch instead of per message, and the relay likewise; when idle a call goes out
// at once (no timer, no added latency).

export interface BatchGate {
  run<T>(command: () => Promise<T>): Promise<T>;
}

export function createBatchGate(): BatchGate {
  let inFlight = 0;
  let gate: { readonly opened: Promise<void>; readonly open: () => void } | null = null;
  return {
    async run(command) {
      if (inFlight > 0) {
        if (gate === null) {
          let open!: () => void;
          const opened = new Promise<void>((resolve) => (open = resolve));
          gate = { opened, open };
        }
        await gate.opened;
      }
      inFlight += 1;
      try {
        return await command();
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && gate !== null) {
          const waiting = gate;
          gate = null;
          waiting.open();
        }
      }
    },
  };
}
