// Web Worker entry that runs Argon2id off the main thread (module worker, sumo build).
//   const worker = new Worker(new URL('../../crypto/password-worker.ts', import.meta.url), { type: 'module' });
//   worker.postMessage({ password, salt, params }); worker.onmessage = (e) => e.data.keys ?? e.data.error
import { isCryptoError } from './errors.js';
import { deriveLoginKeys, type LoginKeys, type PasswordParams } from './password.js';
import { loadSumoSodium } from './sodium-sumo.js';

/** Request posted to the worker. */
export interface PasswordWorkerRequest {
  password: string;
  salt: Uint8Array;
  params?: PasswordParams;
}
/** Reply: the derived keys, or a CryptoError code. */
export type PasswordWorkerReply = { keys: LoginKeys } | { error: string };

/** Handles one request (exported for tests; the worker calls it on every message). */
export async function handlePasswordRequest(request: PasswordWorkerRequest): Promise<PasswordWorkerReply> {
  await loadSumoSodium();
  try {
    return { keys: deriveLoginKeys(request.password, request.salt, request.params) };
  } catch (err) {
    if (isCryptoError(err)) return { error: err.code };
    throw err;
  }
}

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  addEventListener?: (type: 'message', fn: (e: MessageEvent<PasswordWorkerRequest>) => void) => void;
  postMessage?: (reply: PasswordWorkerReply) => void;
};
if (scope.WorkerGlobalScope !== undefined && scope.addEventListener && scope.postMessage) {
  const post = scope.postMessage.bind(scope);
  scope.addEventListener('message', (event) => {
    void handlePasswordRequest(event.data).then(post);
  });
}
