// Baseline: the naive durable relay — `ws` + node-redis, each message XADDed (MAXLEN ~ 1000) to its
// room's stream and PUBLISHed, the two pipelined; the ack, after the XADD's reply, carries the
// entry's id; each room's sockets get the message from one pub/sub subscription per room. No
// validation, no dedupe, no budgets, no authentication, no replay: what "store, then relay" costs at
// its least, on a Redis of its own (REDIS_URL). Speaks the frames of raw-ws-relay.ts.
import { createClient } from 'redis';
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
const commands = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
const subscriber = commands.duplicate();
await Promise.all([commands.connect(), subscriber.connect()]);

interface Peer {
  readonly ws: WebSocket;
  readonly id: number;
}
/** Each room's local sockets, and its subscription (settled once SUBSCRIBE was acknowledged). */
const rooms = new Map<string, { readonly peers: Set<Peer>; readonly subscribed: Promise<void> }>();
let nextPeer = 0;

/** A published message is `<sender's peer id>|<frame>`: every local socket of the room but the sender's gets the frame. */
function fanOut(room: string, message: string) {
  const bar = message.indexOf('|');
  const from = Number(message.slice(0, bar));
  const frame = message.slice(bar + 1);
  for (const peer of rooms.get(room)?.peers ?? []) if (peer.id !== from) peer.ws.send(frame);
}

const wss = new WebSocketServer({ port, host: '127.0.0.1' });
wss.on('connection', (ws) => {
  const me: Peer = { ws, id: nextPeer++ };
  let room: string | null = null;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { t: string; c?: string; e?: { cid: string; body: string } };
    if (frame.t === 'join' && frame.c !== undefined) {
      const c = frame.c;
      room = c;
      let entry = rooms.get(c);
      if (entry === undefined) {
        entry = { peers: new Set(), subscribed: subscriber.subscribe(`room:${c}`, (message) => fanOut(c, message)) };
        rooms.set(c, entry);
      }
      entry.peers.add(me);
      void entry.subscribed.then(() => ws.send(JSON.stringify({ t: 'subscribed', c })));
    } else if (frame.t === 'send' && room !== null && frame.e !== undefined) {
      const { cid, body } = frame.e;
      // Issued in one tick, node-redis writes the two commands together.
      void commands
        .xAdd(`room:${room}:log`, '*', { cid, body }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 1000 } })
        .then((id) => ws.send(JSON.stringify({ t: 'ack', c: frame.c, cid, id })));
      void commands.publish(`room:${room}`, `${me.id}|${JSON.stringify({ t: 'msg', c: frame.c, e: frame.e })}`);
    }
  });
  ws.on('close', () => {
    if (room !== null) rooms.get(room)?.peers.delete(me);
  });
});

wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening ${typeof address === 'string' || address === null ? address : address.port}\n`);
});

// A clean exit on SIGINT, so a `--cpu-prof` run (bench/compare.ts, BENCH_CPU_PROF) writes its profile.
process.on('SIGINT', () => process.exit(0));
