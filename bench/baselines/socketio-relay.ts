// Baseline: what most Node chat servers use — socket.io rooms, acks by callback, no storage.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
let seq = 0;

io.on('connection', (socket) => {
  socket.on('join', (c: string, done: () => void) => {
    void socket.join(c);
    done();
  });
  socket.on('send', (frame: { c: string; e: { cid: string } }, done: (id: string) => void) => {
    const id = `${Date.now()}-${seq++}`;
    done(id);
    socket.to(frame.c).emit('msg', { c: frame.c, e: { ...frame.e, id } });
  });
});

http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'string' || address === null ? address : address.port}\n`);
});

// A clean exit on SIGINT, so a `--cpu-prof` run (bench/compare.ts, BENCH_CPU_PROF) writes its profile.
process.on('SIGINT', () => process.exit(0));
