// Delivery of a team inbox private key to each member (crypto_box_seal), checked against the team certificate.
import type { VerifiedTeamCert } from './chain.js';
import { WireType } from './certs.js';
import { PROTOCOL_VERSION, Reader, Writer, bytesEqual, readHeader, type X25519PublicKey, type X25519SecretKey } from './encoding.js';
import { CryptoErrorCode, fail } from './errors.js';
import { boxKeyPairFromSecret, type BoxKeyPair } from './keys.js';
import { sodium } from './sodium.js';

/** A team inbox key pair a member holds, with the certificate it belongs to. */
export interface TeamInboxKey {
  cert: VerifiedTeamCert;
  keyPair: BoxKeyPair;
}

/**
 * Seals the team inbox secret key to one member's X25519 key (from their verified responder certificate).
 * Wire: u8 version ‖ u8 0x41 ‖ crypto_box_seal(labelled "team-key-delivery" {team, epoch, secret}).
 */
export function sealTeamInboxKey(team: { team: string; epoch: number; secretKey: X25519SecretKey }, memberBoxPublicKey: X25519PublicKey): Uint8Array {
  const inner = Writer.labelled('team-key-delivery').string(team.team).u32(team.epoch).fixed(team.secretKey, 32).finish();
  const sealed = sodium().crypto_box_seal(inner, memberBoxPublicKey);
  sodium().memzero(inner);
  return new Writer().u8(PROTOCOL_VERSION).u8(WireType.TeamKeyDelivery).bytes(sealed).finish();
}

/**
 * Opens a delivered team inbox key with the member's X25519 key pair and checks it against the verified
 * team certificate: Tampered when it does not open, WrongTeam / WrongEpoch when it names another
 * team or epoch, UntrustedKey when its public key is not the certified one.
 */
export function openTeamInboxKey(delivery: Uint8Array, member: BoxKeyPair, cert: VerifiedTeamCert): TeamInboxKey {
  const r = new Reader(delivery);
  readHeader(r, WireType.TeamKeyDelivery, 'team key delivery');
  const sealed = r.bytes();
  r.end();
  let inner: Uint8Array;
  try {
    inner = sodium().crypto_box_seal_open(sealed, member.publicKey, member.secretKey);
  } catch {
    return fail(CryptoErrorCode.Tampered, 'team key delivery does not open');
  }
  const ir = new Reader(inner).expectLabel('team-key-delivery');
  const team = ir.string(256);
  const epoch = ir.u32();
  const secretKey = ir.fixed(32) as X25519SecretKey;
  ir.end();
  if (team !== cert.team) fail(CryptoErrorCode.WrongTeam, 'inbox key of another team');
  if (epoch !== cert.epoch) fail(CryptoErrorCode.WrongEpoch, 'inbox key of another epoch');
  const keyPair = boxKeyPairFromSecret(secretKey);
  if (!bytesEqual(keyPair.publicKey, cert.boxPublicKey)) fail(CryptoErrorCode.UntrustedKey, 'inbox key does not match its certificate');
  return { cert, keyPair };
}
