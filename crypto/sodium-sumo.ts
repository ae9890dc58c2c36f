// Loads the sumo libsodium build (Argon2id) for the console; the widget never imports this file.
import sumo from 'libsodium-wrappers-sumo';
import { installSodium, type Sodium } from './sodium.js';

/** The sumo build's API (superset of Sodium, with crypto_pwhash). */
export type SumoSodium = typeof sumo;

let ready: SumoSodium | undefined;

/** Loads libsodium-wrappers-sumo and makes it the instance every crypto/ module uses. Idempotent. */
export async function loadSumoSodium(): Promise<SumoSodium> {
  await sumo.ready;
  ready = sumo;
  installSodium(sumo as unknown as Sodium, 'sumo');
  return sumo;
}

/** The sumo instance, or undefined when loadSumoSodium() has not resolved. */
export function sumoSodium(): SumoSodium | undefined {
  return ready;
}
