// Crypto benchmarks (Markdown section): message throughput, handshake, Argon2id, proof of work, widget bundle size.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { completeHandshake, acceptIntake } from '../crypto/handshake.js';
import { createPki, NOW } from '../crypto/fixtures.case.js';
import { createIntake, openIntake } from '../crypto/intake.js';
import { PASSWORD_MIN_MEMLIMIT, PASSWORD_MIN_OPSLIMIT, deriveLoginKeys } from '../crypto/password.js';
import { powSolve, powVerify } from '../crypto/pow.js';
import { seededRandom, systemRandom } from '../crypto/random.js';
import { decryptMessage, encryptMessage, type SessionState } from '../crypto/session.js';
import { loadSumoSodium } from '../crypto/sodium-sumo.js';

const INDEX = fileURLToPath(new URL('../crypto/index.ts', import.meta.url));
/** A string only the sumo build's WebAssembly glue contains. */
export const SUMO_MARKER = '_crypto_pwhash_alg_argon2id13';

function stats(samples: number[]): { mean: number; p90: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)] as number;
  return { mean, p90, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** Bundles crypto/index.ts the way the widget would (ES module, minified, tree-shaken); sizes in bytes. */
export async function measureBundle(): Promise<{ rawBytes: number; gzipBytes: number; gzipWithoutSodium: number; containsSumo: boolean }> {
  const bundle = async (external: string[]): Promise<string> => {
    const outDir = mkdtempSync(join(tmpdir(), 'utvag-crypto-bundle-'));
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        build: {
          outDir,
          emptyOutDir: true,
          minify: true,
          target: 'es2022',
          lib: { entry: INDEX, formats: ['es'], fileName: () => 'crypto.js' },
          rollupOptions: { external },
        },
      });
      return readdirSync(outDir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(outDir, f), 'utf8'))
        .join('\n');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  };
  const full = await bundle([]);
  const own = await bundle(['libsodium-wrappers']);
  const gz = (s: string): number => gzipSync(Buffer.from(s), { level: 9 }).length;
  return { rawBytes: Buffer.byteLength(full), gzipBytes: gz(full), gzipWithoutSodium: gz(own), containsSumo: full.includes(SUMO_MARKER) };
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);

/** Runs every measurement and returns a Markdown section. Takes about 10–20 s. */
export async function runCryptoBench(): Promise<string> {
  await loadSumoSodium(); // superset of the standard build: same code paths for everything but Argon2id
  const random = seededRandom('bench');
  const pki = createPki(random);
  const team = pki.team({ team: 'chat', epoch: 1, serial: 2 });
  const alice = pki.responder({ id: 'alice', teams: ['chat'], serial: 3 });

  const handshake = (): { visitor: SessionState; responder: SessionState } => {
    const { wire, pending } = createIntake({ teamCert: team.cert, category: 'chat', text: 'hej', random: systemRandom });
    const hs = acceptIntake(openIntake(wire, team.inbox), alice.identity, team.inbox);
    return { visitor: completeHandshake(pending, hs.wire, { anchor: pki.anchor, now: NOW }), responder: hs.state };
  };
  for (let i = 0; i < 10; i++) handshake();
  const hsSamples: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    handshake();
    hsSamples.push(performance.now() - t);
  }

  let { visitor, responder } = handshake();
  const text = 'x'.repeat(200);
  const roundTrip = (): void => {
    const m = encryptMessage(visitor, { type: 'text', text });
    visitor = m.state;
    responder = decryptMessage(responder, m.wire, { now: NOW }).state;
  };
  for (let i = 0; i < 500; i++) roundTrip();
  const n = 5000;
  let t = performance.now();
  for (let i = 0; i < n; i++) roundTrip();
  const perSecond = n / ((performance.now() - t) / 1000);

  const argonSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    deriveLoginKeys('correct horse battery staple', systemRandom(16));
    argonSamples.push(performance.now() - t);
  }

  const powSamples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const challenge = systemRandom(16);
    t = performance.now();
    powSolve(challenge, 16);
    powSamples.push(performance.now() - t);
  }

  // What the server spends per opened conversation: one verification of a solved challenge.
  const verifyChallenge = systemRandom(16);
  const verifyNonce = powSolve(verifyChallenge, 8);
  const verifyRuns = 20_000;
  t = performance.now();
  for (let i = 0; i < verifyRuns; i++) powVerify(verifyChallenge, 8, verifyNonce);
  const verifyMicros = ((performance.now() - t) / verifyRuns) * 1000;

  const bundle = await measureBundle();
  const hs = stats(hsSamples);
  const argon = stats(argonSamples);
  const pow = stats(powSamples);
  const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
  return [
    '## Crypto (crypto/)',
    '',
    `Node ${process.version}, libsodium.js 0.8.4 (WebAssembly), ${new Date().toISOString().slice(0, 10)}. Run alone with \`npx tsx bench/crypto.ts\`.`,
    '',
    '| measurement | result |',
    '|---|---|',
    `| encrypt + decrypt, 200-byte message (one 256-byte bucket) | ${Math.round(perSecond).toLocaleString('en')} round trips/s (${fmt(1000 / perSecond)} each) |`,
    `| full handshake (intake, open, accept, verify chain, complete), 100 runs | mean ${fmt(hs.mean)}, p90 ${fmt(hs.p90)} |`,
    `| Argon2id at the minimum (opslimit ${PASSWORD_MIN_OPSLIMIT}, memlimit ${PASSWORD_MIN_MEMLIMIT / 1024 / 1024} MiB), 3 runs | mean ${fmt(argon.mean)}, max ${fmt(argon.max)} |`,
    `| proof of work, 16 bits, 20 random challenges | mean ${fmt(pow.mean)}, p90 ${fmt(pow.p90)}, max ${fmt(pow.max)} |`,
    `| proof-of-work verification on the server, ${verifyRuns.toLocaleString('en')} runs | ${verifyMicros.toFixed(1)} µs each |`,
    `| widget bundle of crypto/index.ts (vite, ES, minified, gzip -9) | ${kib(bundle.gzipBytes)} total, ${kib(bundle.gzipWithoutSodium)} without libsodium (${kib(bundle.rawBytes)} raw) |`,
    `| sumo build in the widget bundle | ${bundle.containsSumo ? 'YES (bug)' : 'no'} |`,
    '',
    'Browsers run the same WebAssembly; expect Argon2id and proof of work to be 1–3× slower on a phone.',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await runCryptoBench());
}
