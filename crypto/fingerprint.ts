// The key fingerprint of a responder's two public keys: what a new responder reads aloud from their
// own screen and what the admin compares before the organisation key certifies the keys. One
// definition for the console, the server and the `npm run org` tool (WebCrypto SHA-256 everywhere).
import { textBytes } from './encoding.js';

/** The label hashed in front of the keys. */
const FINGERPRINT_LABEL = 'utvag/v1/key-fingerprint';

/**
 * SHA-256("utvag/v1/key-fingerprint" ‖ Ed25519 public key ‖ X25519 public key), first 16 bytes, as
 * lowercase hex in eight groups of four ("1a2b 3c4d …"). Resolves with the text; never fails for
 * 32-byte keys.
 */
export async function keyFingerprint(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): Promise<string> {
  const label = textBytes(FINGERPRINT_LABEL);
  const input = new Uint8Array(label.length + signPublicKey.length + boxPublicKey.length);
  input.set(label, 0);
  input.set(signPublicKey, label.length);
  input.set(boxPublicKey, label.length + signPublicKey.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return (hex.match(/.{4}/g) as string[]).join(' ');
}

/** The fingerprint as typed or read aloud, compared without spaces and case: true when it is `fingerprint`. */
export function sameFingerprint(typed: string, fingerprint: string): boolean {
  const norm = (s: string) => s.replace(/\s/g, '').toLowerCase();
  return norm(typed) !== '' && norm(typed) === norm(fingerprint);
}
