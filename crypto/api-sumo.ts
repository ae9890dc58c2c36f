// The sumo-libsodium entry, the one the responder console imports: every function of ./api.ts, the
// sumo build's loader (the only libsodium the console loads: not ./index.ts's standard one) and
// Argon2id key storage.
export * from './api.js';
export { loadSumoSodium, type SumoSodium } from './sodium-sumo.js';
export {
  PASSWORD_MIN_OPSLIMIT,
  PASSWORD_MIN_MEMLIMIT,
  PASSWORD_MAX_OPSLIMIT,
  PASSWORD_MAX_MEMLIMIT,
  PASSWORD_SALT_BYTES,
  deriveLoginKeys,
  newPasswordSalt,
  wrapPrivateKeys,
  unwrapPrivateKeys,
  type PasswordParams,
  type LoginKeys,
  type ResponderPrivateKeys,
} from './password.js';
export type { PasswordWorkerRequest, PasswordWorkerReply } from './password-worker.js';
export { resealCallback, openResealedCallback } from './callback-reseal.js';
