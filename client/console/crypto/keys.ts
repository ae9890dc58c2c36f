// The responder's unlocked keys: identity (certificate + signing key), X25519 key, team inbox keys,
// the trust anchor, and a key for the encrypted local copies of sessions. Memory only; wipe() zeroes.
import type { ResponderKeys } from '../../../contract/rest.js';
import {
  boxKeyPairFromSecret,
  createTrustAnchor,
  fromBase64url,
  loadSumoSodium,
  openTeamInboxKey,
  signingKeyPairFromSecret,
  unwrapPrivateKeys,
  verifyResponderCert,
  verifyTeamCert,
  type BoxKeyPair,
  type Ed25519PublicKey,
  type ResponderIdentity,
  type TeamInboxKey,
  type TrustAnchor,
} from '../../../crypto/api-sumo.js';

export interface UnlockedKeys {
  readonly anchor: TrustAnchor;
  readonly identity: ResponderIdentity;
  readonly boxKeyPair: BoxKeyPair;
  /** By "team:epoch". */
  readonly inbox: ReadonlyMap<string, TeamInboxKey>;
  /** Seals session snapshots in this tab's sessionStorage (derived from the wrap key). */
  readonly snapshotKey: Uint8Array;
}

/**
 * Unwraps the private keys with `wrapKey` and verifies every certificate against the pinned root key.
 * Throws a CryptoError (Tampered for a wrong password, UntrustedKey for a forged chain).
 */
export async function unlockKeys(bundle: ResponderKeys, wrapKey: Uint8Array, rootPublicKey: Uint8Array, now: Date): Promise<UnlockedKeys> {
  const sodium = await loadSumoSodium();
  const anchor = createTrustAnchor({ rootPublicKey: rootPublicKey as Ed25519PublicKey, orgCert: fromBase64url(bundle.orgCert), revocationList: fromBase64url(bundle.revocationList), orgRevocation: bundle.orgRevocation === undefined ? null : fromBase64url(bundle.orgRevocation), now });
  const cert = verifyResponderCert(anchor, fromBase64url(bundle.cert), { now, role: 'responder' });
  const keys = unwrapPrivateKeys(wrapKey, fromBase64url(bundle.wrappedKeys));
  const signKeyPair = signingKeyPairFromSecret(keys.signSecretKey);
  const boxKeyPair = boxKeyPairFromSecret(keys.boxSecretKey);
  const inbox = new Map<string, TeamInboxKey>();
  for (const delivery of bundle.inbox) {
    try {
      const teamCert = verifyTeamCert(anchor, fromBase64url(delivery.cert), { now, team: delivery.team });
      inbox.set(`${delivery.team}:${delivery.epoch}`, openTeamInboxKey(fromBase64url(delivery.sealed), boxKeyPair, teamCert));
    } catch {
      // An expired or foreign epoch opens nothing; the others still work.
    }
  }
  const snapshotKey = sodium.crypto_generichash(32, new TextEncoder().encode('utvag/v1/console-snapshot'), wrapKey);
  return { anchor, identity: { cert, signKeyPair }, boxKeyPair, inbox, snapshotKey };
}

/** Overwrites every secret with zeros. */
export function wipeKeys(keys: UnlockedKeys): void {
  keys.identity.signKeyPair.secretKey.fill(0);
  keys.boxKeyPair.secretKey.fill(0);
  for (const k of keys.inbox.values()) k.keyPair.secretKey.fill(0);
  keys.snapshotKey.fill(0);
}
