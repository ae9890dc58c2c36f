// The libsodium instance every crypto/ module uses: installed once by a loader (sodium-standard.ts for
// the widget and the server, sodium-sumo.ts for the console), then read through sodium(). This file
// imports no libsodium build itself, so a bundle carries only the build its loader pulls in.
import type standard from 'libsodium-wrappers';
import { CryptoErrorCode, fail } from './errors.js';

/** The libsodium API both builds share (the standard build's surface). */
export type Sodium = typeof standard;
/** Which build is loaded: the standard one (~147 KiB gzip) or sumo (adds Argon2id). */
export type SodiumVariant = 'standard' | 'sumo';

let active: { sodium: Sodium; variant: SodiumVariant } | undefined;

/** The installed instance, or undefined before a loader ran. */
export function installedSodium(): Sodium | undefined {
  return active?.sodium;
}

/**
 * Installs an already-ready instance (the loaders call this). A sumo instance replaces a standard one
 * (it is a superset); nothing ever downgrades.
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
