// The fixture's demo responder logs in with this auth key and unwraps its keys with this wrap key
// (fixed, so the upgrade test skips Argon2id; only for the fixture store).
export const FIXTURE_AUTH_KEY = new Uint8Array(32).fill(0x11);
export const FIXTURE_WRAP_KEY = new Uint8Array(32).fill(0x22);
