// The key fingerprint a new responder reads to the admin (same as server/enrolment/fingerprint.ts).

/** SHA-256("utvag/v1/key-fingerprint" ‖ Ed25519 pub ‖ X25519 pub), first 16 bytes, hex in groups of 4. */
export async function keyFingerprint(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): Promise<string> {
  const label = new TextEncoder().encode('utvag/v1/key-fingerprint');
  const input = new Uint8Array(label.length + signPublicKey.length + boxPublicKey.length);
  input.set(label, 0);
  input.set(signPublicKey, label.length);
  input.set(boxPublicKey, label.length + signPublicKey.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g)!.join(' ');
}
