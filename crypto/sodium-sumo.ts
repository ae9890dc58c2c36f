// Loads the sumo libsodium build (Argon2id) for the console; the widget never imports this file. The
// build is a dynamic import: the console's login screen renders before it is fetched, and the console
// page and its Argon2id worker (crypto/password-worker.ts) import the same chunk (one copy of sumo).
import { installSodium, type Sodium } from './sodium.js';

/** The sumo build's API (superset of Sodium, with crypto_pwhash). */
export type SumoSodium = typeof import('libsodium-wrappers-sumo').default;

let ready: SumoSodium | undefined;
let loading: Promise<SumoSodium> | undefined;

/** Loads libsodium-wrappers-sumo and makes it the instance every crypto/ module uses. Idempotent. */
export function loadSumoSodium(): Promise<SumoSodium> {
  loading ??= import('libsodium-wrappers-sumo').then(async ({ default: sumo }) => {
    await sumo.ready;
    ready = sumo;
    installSodium(sumo as unknown as Sodium, 'sumo');
    return sumo;
  });
  return loading;
}

/** The sumo instance, or undefined when loadSumoSodium() has not resolved. */
export function sumoSodium(): SumoSodium | undefined {
  return ready;
}
