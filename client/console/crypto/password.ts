// Argon2id in a module Worker (crypto/password-worker.ts): the page never blocks, and the password
// goes only to the worker, never to the network. The worker is a chunk of the console's own build
// (scripts/worker-chunk.ts): it imports the same libsodium-sumo chunk as the page.
import { loadSumoSodium, type LoginKeys, type PasswordParams, type PasswordWorkerReply, type PasswordWorkerRequest } from '../../../crypto/api-sumo.js';

/** Derives the auth and wrap keys; rejects with the crypto error code (e.g. "weak_parameters"). */
export type DeriveKeys = (password: string, salt: Uint8Array, params: PasswordParams) => Promise<LoginKeys>;

function inWorker(password: string, salt: Uint8Array, params: PasswordParams): Promise<LoginKeys> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../../../crypto/password-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<PasswordWorkerReply>) => {
      worker.terminate();
      if ('keys' in event.data) resolve(event.data.keys);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage({ password, salt, params } satisfies PasswordWorkerRequest);
  });
}

/**
 * The deriver the console uses. The login screen renders before libsodium is fetched; the page's own
 * instance loads alongside the derivation (everything after it — unwrapping, certificates — needs it),
 * so a derivation resolves only when both are ready.
 */
export function createWorkerDeriver(): DeriveKeys {
  return async (password, salt, params) => {
    const [keys] = await Promise.all([inWorker(password, salt, params), loadSumoSodium()]);
    return keys;
  };
}
