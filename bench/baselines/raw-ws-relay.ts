// Baseline: the least a Node relay can do — `ws`, rooms in a Map, no validation, no storage.
// Speaks the subset of Utväg's frames the load generator uses: join (hello), send → ack + msg.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ port, host: '127.0.0.1' });
let seq = 0;

wss.on('connection', (ws) => {
  let room: Set<WebSocket> | null = null;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { t: string; c?: string; e?: { cid: string } };
    if (frame.t === 'join' && frame.c !== undefined) {
      room = rooms.get(frame.c) ?? new Set();
      rooms.set(frame.c, room);
      room.add(ws);
      ws.send(JSON.stringify({ t: 'subscribed', c: frame.c }));
    } else if (frame.t === 'send' && room !== null && frame.e !== undefined) {
      const id = `${Date.now()}-${seq++}`;
      ws.send(JSON.stringify({ t: 'ack', c: frame.c, cid: frame.e.cid, id }));
      const out = JSON.stringify({ t: 'msg', c: frame.c, e: { ...frame.e, id } });
      for (const peer of room) if (peer !== ws) peer.send(out);
    }
  });
  ws.on('close', () => room?.delete(ws));
});

wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening ${typeof address === 'string' || address === null ? address : address.port}\n`);
});

// A clean exit on SIGINT, so a `--cpu-prof` run (bench/compare.ts, BENCH_CPU_PROF) writes its profile.
process.on('SIGINT', () => process.exit(0));
