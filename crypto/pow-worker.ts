// Web Worker entry that solves a proof of work off the main thread (module worker). It hashes with
// crypto/blake2b.ts and imports no libsodium: the visitor downloads libsodium once, in the crypto chunk.
//   const worker = new Worker(new URL('../../crypto/pow-worker.ts', import.meta.url), { type: 'module' });
//   worker.postMessage({ challenge, difficultyBits }); worker.onmessage = (e) => e.data.nonce ?? e.data.error
import { isCryptoError } from './errors.js';
import { blake2b } from './blake2b.js';
import { powSolveWith } from './pow-solve.js';

const blake2b256 = (input: Uint8Array) => blake2b(32, input);

/** Request posted to the worker. */
export interface PowWorkerRequest {
  challenge: Uint8Array;
  difficultyBits: number;
}
/** Reply posted back: the 8-byte nonce, or the CryptoError code. */
export type PowWorkerReply = { nonce: Uint8Array } | { error: string };

/** Handles one request (exported for tests; the worker calls it on every message). */
export async function handlePowRequest(request: PowWorkerRequest): Promise<PowWorkerReply> {
  try {
    return { nonce: powSolveWith(blake2b256, request.challenge, request.difficultyBits) };
  } catch (err) {
    if (isCryptoError(err)) return { error: err.code };
    throw err;
  }
}

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  addEventListener?: (type: 'message', fn: (e: MessageEvent<PowWorkerRequest>) => void) => void;
  postMessage?: (reply: PowWorkerReply) => void;
};
if (scope.WorkerGlobalScope !== undefined && scope.addEventListener && scope.postMessage) {
  const post = scope.postMessage.bind(scope);
  scope.addEventListener('message', (event) => {
    void handlePowRequest(event.data).then(post);
  });
}
