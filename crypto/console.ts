// Public API for the responder console: everything in ./index.ts plus the sumo build and Argon2id key storage.
export * from './index.js';
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
