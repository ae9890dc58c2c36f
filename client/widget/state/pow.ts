// Proof of work before opening a conversation: in a module Worker when the page may start one, else
// on the main thread in slices (a sandboxed, opaque-origin iframe cannot start a same-URL Worker).
import type { PowSolver } from '../../shared/api-client.js';
import type { Crypto } from './crypto.js';

export function createPowSolver(loadCrypto: () => Promise<Crypto>): PowSolver {
  const inWorker = (challenge: Uint8Array, difficultyBits: number) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const worker = new Worker(new URL('../../../crypto/pow-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (e: MessageEvent<{ nonce?: Uint8Array; error?: string }>) => {
        worker.terminate();
        if (e.data.nonce !== undefined) resolve(e.data.nonce);
        else reject(new Error(e.data.error ?? 'pow failed'));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        reject(new Error('worker unavailable'));
      };
      worker.postMessage({ challenge, difficultyBits });
    });
  return async (challenge, difficulty) => {
    try {
      return await inWorker(challenge, difficulty);
    } catch {
      const crypto = await loadCrypto();
      return crypto.powSolveAsync(challenge, difficulty);
    }
  };
}
