// The key fingerprint an admin compares with a new responder before certifying its keys. The console
// computes the same with WebCrypto (client/console/crypto/fingerprint.ts).
import { createHash } from 'node:crypto';

/** SHA-256("utvag/v1/key-fingerprint" ‖ Ed25519 pub ‖ X25519 pub), first 16 bytes, hex in groups of 4. */
export function keyFingerprint(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): string {
  const digest = createHash('sha256').update('utvag/v1/key-fingerprint').update(signPublicKey).update(boxPublicKey).digest('hex');
  return digest.slice(0, 32).match(/.{4}/g)!.join(' ');
}
