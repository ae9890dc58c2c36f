// Argon2id in a module Worker (crypto/password-worker.ts): the page never blocks, and the password
// goes only to the worker, never to the network.
import type { LoginKeys, PasswordParams, PasswordWorkerReply, PasswordWorkerRequest } from '../../../crypto/console.js';

/** Derives the auth and wrap keys; rejects with the crypto error code (e.g. "weak_parameters"). */
export type DeriveKeys = (password: string, salt: Uint8Array, params: PasswordParams) => Promise<LoginKeys>;

export function createWorkerDeriver(): DeriveKeys {
  return (password, salt, params) =>
    new Promise((resolve, reject) => {
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
