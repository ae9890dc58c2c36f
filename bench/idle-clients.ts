// Idle sockets for bench/idle.ts, in their own process: opens one socket per conversation of the
// job (a visitor's hello for Utväg, a join for the raw relay), prints "ready <n>" once every one is
// subscribed, then holds them open until it is killed. Input: a JSON job file (argv[2]).
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

export interface IdleJob {
  readonly kind: 'utvag' | 'raw';
  readonly url: string;
  readonly conversations: ReadonlyArray<{ readonly c: string; readonly token?: string }>;
  /** Source address of this process's sockets (127.0.0.x): each has its own ephemeral ports. */
  readonly localAddress: string;
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as IdleJob;
const sockets: WebSocket[] = [];

function open(conv: { c: string; token?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(job.url, { perMessageDeflate: false, localAddress: job.localAddress });
    sockets.push(ws);
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { t: string; code?: string };
      if (frame.t === 'error') reject(new Error(`error frame ${frame.code}`));
      if (frame.t === 'subscribed') {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    ws.once('open', () => ws.send(JSON.stringify(job.kind === 'raw' ? { t: 'join', c: conv.c } : { t: 'hello', v: 1, c: conv.c, token: conv.token, after: null })));
    ws.once('error', reject);
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < job.conversations.length; i += 200) await Promise.all(job.conversations.slice(i, i + 200).map(open));
  process.stdout.write(`ready ${sockets.length}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`idle clients: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
