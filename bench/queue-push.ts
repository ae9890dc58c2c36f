// Queue-to-console latency: the built server in its own process (in-memory store, then Redis), N
// responder sockets of on-duty responders of one team, new visitors arriving one after another. For
// every (arrival, responder) pair it measures the time from the visitor's open request (which stores
// the sealed intake and queues the conversation) to that responder's socket receiving the team push,
// and to the responder's queue listing (read again on the push, as the console does) showing it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import WebSocket from 'ws';
import { deriveLoginKeys } from '../crypto/password.js';
import { powSolve } from '../crypto/pow.js';
import { loadSodium } from '../crypto/sodium-standard.js';
import { loadSumoSodium } from '../crypto/sodium-sumo.js';
import { createRedisStore } from '../server/store/redis/redis-store.js';
import { freePort } from '../test/support/free-port.js';
import { seedResponder } from '../test/support/harness.js';
import { LIMITS_OFF } from '../test/support/limits-off.js';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';
import { SERVER_ENTRY } from './compare.js';
import { percentile } from './proc.js';

const TEAM = 'unga';

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly login: string;
  readonly password: string;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      DEMO: 'true',
      POW_DIFFICULTY: '8',
      // Each responder logs in from its own (forwarded) address: one client may log in only so often.
      TRUST_PROXY: 'true',
      PRESENCE_TTL_SECONDS: '3600',
      ...LIMITS_OFF,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/password "([^"]+)"/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /login "([^"]+)", password "([^"]+)"/.exec(out);
  return { child, base, login: m?.[1] ?? '', password: m?.[2] ?? '' };
}

/** A logged-in responder session: its cookie, CSRF token and the address it comes from. */
interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly from: string;
}

async function login(base: string, name: string, authKey: Uint8Array, from: string): Promise<Session> {
  const response = await fetch(`${base}/api/v1/responder/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ login: name, authKey: Buffer.from(authKey).toString('base64url') }),
  });
  if (!response.ok) throw new Error(`login ${name}: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: csrfToken, from };
}

async function call(base: string, session: Session, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'x-forwarded-for': session.from, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** One console: its socket's team pushes, and its queue listing read again on each push (one read at a time). */
interface Console {
  readonly ws: WebSocket;
  /** Receipt time of every team push, in order. */
  readonly pushes: number[];
  /** When each conversation id first showed in this console's queue listing. */
  readonly listed: Map<string, number>;
}

function openConsole(server: Server, session: Session): Promise<Console> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.base.replace('http', 'ws')}/api/v1/ws`, { headers: { cookie: session.cookie, origin: server.base, 'x-forwarded-for': session.from } });
    const c: Console = { ws, pushes: [], listed: new Map() };
    let reading = false;
    let again = false;
    const read = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const { items } = (await call(server.base, session, 'GET', '/api/v1/responder/queue')) as { items: Array<{ id: string }> };
          const at = performance.now();
          for (const item of items) if (!c.listed.has(item.id)) c.listed.set(item.id, at);
        } while (again);
      } finally {
        reading = false;
      }
    };
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string; ev?: string };
      if (frame.t === 'ready') resolve(c);
      if (frame.t === 'team' && frame.ev === 'queue') {
        c.pushes.push(performance.now());
        void read().catch((error: unknown) => process.stderr.write(`queue read failed: ${String(error)}\n`));
      }
    });
    ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', v: 1 })));
    ws.once('error', reject);
  });
}

interface Round {
  readonly push: number[];
  readonly listed: number[];
  readonly missing: number;
}

async function runStore(store: 'memory' | 'redis', responders: number, arrivals: number, gapMs: number, repeats: number): Promise<Round[]> {
  const redis: RedisServer | null = store === 'redis' ? await startRedisServer() : null;
  const server = await startServer(redis === null ? {} : { REDIS_URL: redis.url });
  try {
    // Responders: on Redis, `responders` accounts of the team seeded into the server's store; in
    // memory (nothing reaches the server's store from outside), sessions of the demo account.
    const logins: Array<{ name: string; authKey: Uint8Array }> = [];
    if (redis !== null) {
      const seeding = await createRedisStore({ url: redis.url });
      for (let i = 0; i < responders; i += 1) {
        const seeded = await seedResponder(seeding, `bench-${i}`, [TEAM]);
        logins.push({ name: seeded.login, authKey: seeded.authKey });
      }
      await seeding.close();
    } else {
      await loadSumoSodium();
      const params = (await (await fetch(`${server.base}/api/v1/responder/login/params`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: server.login }) })).json()) as {
        salt: string;
        opslimit: number;
        memlimit: number;
      };
      const { authKey } = deriveLoginKeys(server.password, new Uint8Array(Buffer.from(params.salt, 'base64url')), params);
      for (let i = 0; i < responders; i += 1) logins.push({ name: server.login, authKey });
    }
    const consoles: Console[] = [];
    for (const [i, who] of logins.entries()) {
      const session = await login(server.base, who.name, who.authKey, `10.9.${i >> 8}.${i & 255}`);
      await call(server.base, session, 'POST', '/api/v1/responder/duty', { team: TEAM, onDuty: true });
      consoles.push(await openConsole(server, session));
    }
    await new Promise((r) => setTimeout(r, 500));

    const rounds: Round[] = [];
    for (let round = 0; round < repeats; round += 1) {
      // Proofs of work solved before the clock starts: the visitor's wait for them is not the server's.
      const solved: Array<{ challenge: string; nonce: string }> = [];
      for (let i = 0; i < arrivals; i += 1) {
        const { challenge, difficulty } = (await (await fetch(`${server.base}/api/v1/pow`, { method: 'POST' })).json()) as { challenge: string; difficulty: number };
        solved.push({ challenge, nonce: Buffer.from(powSolve(new Uint8Array(Buffer.from(challenge, 'base64url')), difficulty)).toString('base64url') });
      }
      const firstPush = consoles.map((c) => c.pushes.length);
      const sentAt: number[] = [];
      const opened: Array<Promise<{ id: string; token: string }>> = [];
      const start = performance.now();
      for (let i = 0; i < arrivals; i += 1) {
        const wait = start + i * gapMs - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const intake = { cid: `q${round}x${i}`.padEnd(16, '0'), kind: 'intake', body: randomBytes(300).toString('base64url') };
        sentAt.push(performance.now());
        opened.push(
          fetch(`${server.base}/api/v1/conversations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.8.${round}.${i}` },
            body: JSON.stringify({ category: 'chat', language: 'sv', intake, pow: solved[i] }),
          }).then(async (r) => {
            if (!r.ok) throw new Error(`open: ${r.status} ${await r.text()}`);
            return (await r.json()) as { id: string; token: string };
          }),
        );
      }
      const ids = await Promise.all(opened);
      const deadline = performance.now() + 10_000;
      const complete = () => consoles.every((c, k) => c.pushes.length - (firstPush[k] ?? 0) >= arrivals && ids.every((o) => c.listed.has(o.id)));
      while (!complete() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const push: number[] = [];
      const listed: number[] = [];
      let missing = 0;
      for (const [k, c] of consoles.entries()) {
        for (let i = 0; i < arrivals; i += 1) {
          // The k-th push of a round is the k-th arrival's: one queue event per arrival, in order.
          const at = c.pushes[(firstPush[k] ?? 0) + i];
          const shown = c.listed.get(ids[i]?.id ?? '');
          if (at === undefined || shown === undefined) missing += 1;
          if (at !== undefined) push.push(at - (sentAt[i] ?? 0));
          if (shown !== undefined) listed.push(shown - (sentAt[i] ?? 0));
        }
      }
      rounds.push({ push: push.sort((a, b) => a - b), listed: listed.sort((a, b) => a - b), missing });
      // The visitors leave (their queue events are pushed too), so each round starts with an empty queue.
      await Promise.all(ids.map((o) => fetch(`${server.base}/api/v1/conversations/${o.id}/close`, { method: 'POST', headers: { authorization: `Bearer ${o.token}` } })));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    for (const c of consoles) c.ws.close();
    return rounds;
  } finally {
    server.child.kill('SIGKILL');
    await redis?.stop();
  }
}

/** Markdown section: per store, p50/p99 of each round and of all rounds together. */
export async function runQueuePushBench(): Promise<string> {
  await loadSodium();
  const responders = Number(process.env.BENCH_RESPONDERS ?? 50);
  const arrivals = Number(process.env.BENCH_ARRIVALS ?? 20);
  const gapMs = Number(process.env.BENCH_ARRIVAL_MS ?? 250);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const f = (n: number) => n.toFixed(1);
  const load = loadavg()[0] ?? 0;
  const rows: string[] = [];
  for (const store of ['memory', 'redis'] as const) {
    const rounds = await runStore(store, responders, arrivals, gapMs, repeats);
    for (const [i, r] of rounds.entries()) {
      rows.push(`| ${store} | ${i + 1} | ${r.push.length} | ${f(percentile(r.push, 50))} | ${f(percentile(r.push, 99))} | ${f(r.push.at(-1) ?? 0)} | ${f(percentile(r.listed, 50))} | ${f(percentile(r.listed, 99))} | ${r.missing} |`);
    }
    const push = rounds.flatMap((r) => r.push).sort((a, b) => a - b);
    const listed = rounds.flatMap((r) => r.listed).sort((a, b) => a - b);
    rows.push(`| **${store}** | all | ${push.length} | **${f(percentile(push, 50))}** | **${f(percentile(push, 99))}** | ${f(push.at(-1) ?? 0)} | **${f(percentile(listed, 50))}** | **${f(percentile(listed, 99))}** | ${rounds.reduce((n, r) => n + r.missing, 0)} |`);
  }
  return [
    '## Queue to console (issue 19: target p99 < 1 s)',
    '',
    `${responders} responder consoles online (a socket each, on duty in one team; on Redis ${responders} responder accounts, in memory ${responders} sessions of the demo account), ${arrivals} visitors arriving ${gapMs} ms apart per round, ${repeats} rounds. **push**: from the visitor's open request being sent (it stores the sealed intake, queues the conversation and publishes the team event, so the figure includes the whole request) to each responder's socket receiving the team frame. **listed**: to that responder's queue listing, read again on the push as the console does (one read at a time per console), showing the new conversation. Samples = arrivals × responders. Run: \`npm run bench -- queue\` (knobs BENCH_RESPONDERS, BENCH_ARRIVALS, BENCH_ARRIVAL_MS, BENCH_REPEATS).`,
    '',
    `Load average at the start: ${load.toFixed(1)} on ${cpus().length} cores${load > cpus().length ? ' (the machine was busy with other work: the figures are upper bounds)' : ''}.`,
    '',
    '| store | round | samples | push p50 ms | push p99 ms | push max ms | listed p50 ms | listed p99 ms | missing |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runQueuePushBench().then((md) => process.stdout.write(`${md}\n`));
}
