// At most one batch of a kind of command in flight on a connection: calls that arrive while one is
// waiting for its replies wait for it, then go out together (node-redis writes every command of one
// event-loop turn in one write). Under load the appends of many sockets then cost Redis one read
// and one write per batch instead of per message, and the relay likewise; when idle a call goes out
// at once (no timer, no added latency). An idle call allocates nothing of the gate's own: no closure,
// no promise beyond the command's (it is called with its argument, and its promise is returned).

export interface BatchGate {
  /** `command(arg)` now when no batch is in flight, else once the one in flight returned (in arrival order). */
  run<T, A = undefined>(command: (arg: A) => Promise<T>, arg?: A): Promise<T>;
}

export function createBatchGate(): BatchGate {
  let inFlight = 0;
  /** Calls that arrived during the flight: started together, in order, when it returned. */
  let held: Array<() => void> = [];
  const settled = () => {
    inFlight -= 1;
    if (inFlight > 0 || held.length === 0) return;
    const next = held;
    held = [];
    for (const start of next) start();
  };
  function start<T, A>(command: (arg: A) => Promise<T>, arg: A): Promise<T> {
    inFlight += 1;
    let reply: Promise<T>;
    try {
      reply = command(arg);
    } catch (error) {
      settled();
      return Promise.reject(error as Error);
    }
    reply.then(settled, settled);
    return reply;
  }
  return {
    run<T, A>(command: (arg: A) => Promise<T>, arg?: A): Promise<T> {
      if (inFlight === 0) return start(command, arg as A);
      return new Promise<T>((resolve, reject) => held.push(() => void start(command, arg as A).then(resolve, reject)));
    },
  };
}
