// The load generator, in its own process: for each conversation a visitor and a responder socket,
// an open-loop message rate in both directions, latency from send to receipt on the other socket.
// Input: a JSON job file (argv[2]); output: one JSON result line. Prints "start"/"end" around the
// measured window so the orchestrator can read server CPU exactly for it.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { percentile } from './proc.js';

export interface Job {
  readonly kind: 'utvag' | 'raw' | 'floor' | 'socketio';
  readonly url: string;
  readonly conversations: ReadonlyArray<{ readonly c: string; readonly token?: string }>;
  readonly cookie?: string;
  readonly origin?: string;
  readonly rate: number;
  readonly seconds: number;
  readonly bodyChars: number;
  /** Utväg: where the responder sockets connect (another instance); default `url`. */
  readonly responderUrl?: string;
  /** Put every latency in the result (to merge several generators' percentiles). */
  readonly keepLatencies?: boolean;
  /** Print "connected" once the sockets are ready and start only at a line on stdin (several generators in step). */
  readonly waitForGo?: boolean;
}

export interface Result {
  readonly sent: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly seconds: number;
  readonly errors: Record<string, number>;
  readonly latencies?: number[];
}

interface Side {
  send(c: string, cid: string, body: string): void;
  close(): void;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Job;
const run = Math.random().toString(36).slice(2, 8);
const sentAt = new Map<string, number>();
const seen = new Set<string>();
const latencies: number[] = [];
let duplicates = 0;
/** Error frames by code: a relay that refuses messages must not look fast. */
const errors: Record<string, number> = {};

function received(cid: string): void {
  const at = sentAt.get(cid);
  if (at === undefined) return;
  if (seen.has(cid)) {
    duplicates += 1;
    return;
  }
  seen.add(cid);
  latencies.push(performance.now() - at);
}

function wsSide(url: string, headers: Record<string, string>, hello: object[], readyType: string, role: string): Promise<Side> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    let pending = 1;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string; code?: string; e?: { cid: string; from?: string } };
      // The floor forwards the sender's own frame as it came.
      if (frame.t === 'send' && frame.e !== undefined) return received(frame.e.cid);
      if (frame.t === 'error') errors[frame.code ?? 'unknown'] = (errors[frame.code ?? 'unknown'] ?? 0) + 1;
      if (frame.t === readyType && pending > 0) {
        pending -= 1;
        if (pending === 0) resolve({ send: (c, cid, body) => ws.send(JSON.stringify({ t: 'send', c, e: { cid, kind: 'message', body } })), close: () => ws.close() });
      } else if (frame.t === 'msg' && frame.e !== undefined && frame.e.from !== role) {
        received(frame.e.cid);
      }
    });
    ws.once('open', () => {
      for (const h of hello) ws.send(JSON.stringify(h));
    });
    ws.once('error', reject);
  });
}

function socketioSide(url: string, c: string): Promise<Side> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(url, { transports: ['websocket'], forceNew: true });
    socket.on('msg', (m: { e: { cid: string } }) => received(m.e.cid));
    socket.once('connect_error', reject);
    socket.once('connect', () =>
      socket.emit('join', c, () =>
        resolve({ send: (room, cid, body) => socket.emit('send', { c: room, e: { cid, kind: 'message', body } }, () => undefined), close: () => socket.close() }),
      ),
    );
  });
}

async function connectPair(c: string, token: string | undefined): Promise<[Side, Side]> {
  if (job.kind === 'socketio') return Promise.all([socketioSide(job.url, c), socketioSide(job.url, c)]);
  if (job.kind === 'raw' || job.kind === 'floor') {
    const join = [{ t: 'join', c }];
    return Promise.all([wsSide(job.url, {}, join, 'subscribed', 'visitor'), wsSide(job.url, {}, join, 'subscribed', 'responder')]);
  }
  const visitor = wsSide(job.url, {}, [{ t: 'hello', v: 1, c, token, after: null }], 'subscribed', 'visitor');
  const responder = wsSide(
    job.responderUrl ?? job.url,
    { cookie: job.cookie ?? '', origin: job.origin ?? '' },
    [{ t: 'hello', v: 1 }, { t: 'sub', c, after: null }],
    'subscribed',
    'responder',
  );
  // The responder's hello answers "ready", then "subscribed" after the sub: wait for the latter.
  return Promise.all([visitor, responder]);
}

async function main(): Promise<void> {
  const pairs: Array<{ c: string; sides: [Side, Side] }> = [];
  for (let i = 0; i < job.conversations.length; i += 50) {
    const batch = job.conversations.slice(i, i + 50);
    pairs.push(...(await Promise.all(batch.map(async (conv) => ({ c: conv.c, sides: await connectPair(conv.c, conv.token) })))));
  }
  if (job.waitForGo) {
    process.stdout.write('connected\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
  }
  const body = 'A'.repeat(job.bodyChars);
  const total = Math.round(job.rate * job.seconds);
  process.stdout.write('start\n');
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / job.rate;
    const wait = due - performance.now();
    if (wait > 2) await new Promise((r) => setTimeout(r, wait));
    const pair = pairs[n % pairs.length];
    if (pair === undefined) continue;
    // Fresh per run: a repeated client id is (rightly) acknowledged as a duplicate and not relayed.
    const cid = `g${run}${n.toString(36).padStart(12, '0')}`;
    sentAt.set(cid, performance.now());
    pair.sides[n % 2]?.send(pair.c, cid, body);
  }
  const deadline = performance.now() + 15_000;
  while (seen.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const elapsed = (performance.now() - start) / 1000;
  process.stdout.write('end\n');
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(sorted, p);
  const result: Result = { sent: total, delivered: seen.size, duplicates, p50: pct(50), p90: pct(90), p99: pct(99), max: sorted.at(-1) ?? 0, seconds: elapsed, errors, ...(job.keepLatencies ? { latencies: sorted.map((x) => Math.round(x * 100) / 100) } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const p of pairs) for (const s of p.sides) s.close();
  setTimeout(() => process.exit(0), 200).unref();
}

void main();
