// The floor: the least a Node WebSocket relay can do. `ws`, rooms in a Map; a socket's first frame
// (join) is parsed, every later frame is forwarded to the other sockets of its room exactly as it
// came (the received string, unparsed, no ack, no id, no storage). Every ratio in BENCHMARKS.md is
// against this relay measured in the same run.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false });

wss.on('connection', (ws) => {
  let room: Set<WebSocket> | null = null;
  ws.on('message', (data, isBinary) => {
    if (room === null) {
      const frame = JSON.parse(String(data)) as { t?: string; c?: string };
      if (frame.t !== 'join' || frame.c === undefined) return;
      room = rooms.get(frame.c) ?? new Set();
      rooms.set(frame.c, room);
      room.add(ws);
      ws.send(`{"t":"subscribed","c":${JSON.stringify(frame.c)}}`);
      return;
    }
    for (const peer of room) if (peer !== ws) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => room?.delete(ws));
});

wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening ${typeof address === 'string' || address === null ? address : address.port}\n`);
});

// A clean exit on SIGINT, so a `--cpu-prof` run (bench/compare.ts, BENCH_CPU_PROF) writes its profile.
process.on('SIGINT', () => process.exit(0));
