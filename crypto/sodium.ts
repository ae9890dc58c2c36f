// The libsodium instance: chosen once (standard for the widget, sumo for the console), then used by every module.
import standard from 'libsodium-wrappers';
import { CryptoErrorCode, fail } from './errors.js';

/** The libsodium API both builds share (the standard build's surface). */
export type Sodium = typeof standard;
/** Which build is loaded: the standard one (~147 KiB gzip) or sumo (adds Argon2id). */
export type SodiumVariant = 'standard' | 'sumo';

let active: { sodium: Sodium; variant: SodiumVariant } | undefined;

/**
 * Loads the standard libsodium build (WebAssembly) and makes it the instance crypto/ uses.
 * Idempotent; if the sumo build is already installed it stays. Resolves when ready.
 */
export async function loadSodium(): Promise<Sodium> {
  if (active) return active.sodium;
  await standard.ready;
  active ??= { sodium: standard, variant: 'standard' };
  return active.sodium;
}

/**
 * Installs an already-ready instance. Used by `loadSumoSodium()` (crypto/sodium-sumo.ts) so that
 * importing the widget API never pulls the sumo build into a bundle. A sumo instance replaces a
 * standard one (it is a superset); nothing ever downgrades.
 */
export function installSodium(instance: Sodium, variant: SodiumVariant): void {
  if (active?.variant === 'sumo') return;
  active = { sodium: instance, variant };
}

/** The loaded instance. Throws CryptoError NotReady before loadSodium()/loadSumoSodium() resolved. */
export function sodium(): Sodium {
  if (!active) fail(CryptoErrorCode.NotReady, 'call loadSodium() first');
  return active.sodium;
}

/** The loaded variant, or undefined before loading. */
export function sodiumVariant(): SodiumVariant | undefined {
  return active?.variant;
}
