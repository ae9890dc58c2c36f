// Loads the standard libsodium build (WebAssembly): the widget's and the server's. The console never
// imports this file (it loads the sumo build, crypto/sodium-sumo.ts), so its bundle holds one libsodium.
import standard from 'libsodium-wrappers';
import { installSodium, installedSodium, type Sodium } from './sodium.js';

/**
 * Loads the standard build and makes it the instance crypto/ uses. Idempotent; if the sumo build is
 * already installed it stays. Resolves when ready.
 */
export async function loadSodium(): Promise<Sodium> {
  const existing = installedSodium();
  if (existing !== undefined) return existing;
  await standard.ready;
  installSodium(standard, 'standard');
  return installedSodium() as Sodium;
}
