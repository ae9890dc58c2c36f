// A hostile server (anyone who can write to Redis) tries to get the organisation key to sign for it.
// The store is a real redis-server; the attacker writes its records directly with redis-cli; the admin
// runs the real `npm run org sign` (a spawned process, "yes" on stdin). The tool must sign nothing the
// ledger does not vouch for, and tell the admin why:
//  (a) the responder's public keys swapped before renewal (a certificate for the attacker's keys that
//      the org key never signed, or another responder's genuine certificate) → no certificate for
//      those keys anywhere, the ledger unchanged for that responder, the reason printed;
//  (b) a deactivation naming a foreign serial (another responder's) or one the ledger never issued
//      → refused, no revocation list, no ledger entry;
//  (rollback) the server's copy of the ledger replaced by an older, genuinely signed one (where the
//      revoked serial was still live) → the admin's local file wins, the old copy is replaced.
// Each fails without the ledger check (renewal by parsing alone re-signs the swapped keys; revocation
// of the named serial puts it on the list), and on today's main (no ledger, no `sign`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64url,
  generateBoxKeyPair,
  generateSigningKeyPair,
  issueResponderCert,
  parseResponderCert,
  parseRevocationList,
  toBase64url,
  verifyResponderCert,
  createTrustAnchor,
  type Ed25519PublicKey,
} from '../../../crypto/index.js';
import { ledgerKeyDigest } from '../../../crypto/ledger.js';
import type { ResponderId } from '../../../server/store/ports.js';
import { startRealOrgServer, type RealOrg } from '../../e2e/console/real-org.js';

const DAY = 86_400_000;
const RESPONDER_KEYS = 'records:{directory-responder-keys}';
const PENDING = 'records:{org-pending}';
const LEDGER = 'records:{org-ledger}';

let org: RealOrg;
beforeAll(async () => {
  org = await startRealOrgServer();
}, 60_000);
afterAll(async () => {
  await org?.stop();
});

const certOf = async (id: string) => parseResponderCert(fromBase64url((await org.directory.getResponderKeys(id as ResponderId))?.cert ?? ''));
const revocationList = async () => (await org.directory.getOrg())?.revocationList ?? '';

/** Every responder certificate the org key signed that the store holds or the ledger recorded, as key digests. */
async function signedKeyDigests(): Promise<string[]> {
  const bundle = await org.directory.getOrg();
  const anchor = createTrustAnchor({ rootPublicKey: fromBase64url(org.rootPublicKey) as Ed25519PublicKey, orgCert: fromBase64url(bundle?.orgCert ?? ''), revocationList: fromBase64url(bundle?.revocationList ?? ''), now: new Date() });
  const out: string[] = [];
  for (const keys of await org.directory.listResponderKeys()) {
    try {
      const cert = verifyResponderCert(anchor, fromBase64url(keys.cert), { now: new Date() });
      out.push(toBase64url(ledgerKeyDigest(cert.signPublicKey)), toBase64url(ledgerKeyDigest(cert.boxPublicKey)));
    } catch {
      // Not signed by the organisation (the attacker's own), expired or revoked: not a signature issued.
    }
  }
  for (const e of (await org.ledger()).entries) if (e.kind === 'responder') out.push(toBase64url(e.signKey), toBase64url(e.boxKey));
  return out;
}

describe('hostile server against the organisation key (real Redis, real CLI)', () => {
  it('(a) keys swapped before renewal: no signature for them, the admin sees why; a genuine renewal still goes through', { timeout: 120_000 }, async () => {
    await org.addResponder('astrid', ['unga'], ['responder', 'admin']);
    const lina = await org.addResponder('lina', ['unga'], ['responder'], { certDays: 3 });
    const noor = await org.addResponder('noor', ['foraldrar'], ['responder'], { certDays: 3 });
    const sam = await org.addResponder('sam', ['unga'], ['responder'], { certDays: 3 });

    // The attacker's keys in Lina's record: a certificate it signed itself, ending in two days (renewal due).
    const attacker = { sign: generateSigningKeyPair(), box: generateBoxKeyPair() };
    const old = (await certOf(lina.id)).value;
    const forged = issueResponderCert(generateSigningKeyPair().secretKey, { ...old, signPublicKey: attacker.sign.publicKey, boxPublicKey: attacker.box.publicKey, notBefore: Date.now() - DAY, expires: Date.now() + 2 * DAY });
    const linaRecord = JSON.parse(await org.redis.cli('HGET', RESPONDER_KEYS, lina.id)) as { cert: string };
    await org.redis.cli('HSET', RESPONDER_KEYS, lina.id, JSON.stringify({ ...linaRecord, cert: toBase64url(forged) }));
    // And in Noor's record Sam's genuine, org-signed certificate (a real signature, someone else's keys).
    const noorRecord = JSON.parse(await org.redis.cli('HGET', RESPONDER_KEYS, noor.id)) as { cert: string };
    const samCert = JSON.parse(await org.redis.cli('HGET', RESPONDER_KEYS, sam.id)) as { cert: string };
    await org.redis.cli('HSET', RESPONDER_KEYS, noor.id, JSON.stringify({ ...noorRecord, cert: samCert.cert }));

    const before = (await org.ledger()).entries.length;
    const samSerial = (await certOf(sam.id)).value.serial;
    const run = await org.runOrg(['sign'], 'yes\n');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('REFUSED');
    expect(run.stdout).toMatch(/Renew Handläggare lina[^\n]*\n\s+why: the certificate is not signed by the organisation key/);
    expect(run.stdout).toMatch(/Renew Handläggare noor[^\n]*\n\s+why: the certificate belongs to r-sam/);
    expect(run.code).toBe(3);

    // No signature anywhere for the attacker's keys; Lina's and Noor's records are as the attacker left them.
    const digests = await signedKeyDigests();
    expect(digests).not.toContain(toBase64url(ledgerKeyDigest(attacker.sign.publicKey)));
    expect(digests).not.toContain(toBase64url(ledgerKeyDigest(attacker.box.publicKey)));
    expect(JSON.parse(await org.redis.cli('HGET', RESPONDER_KEYS, lina.id)).cert).toBe(toBase64url(forged));
    expect((await certOf(noor.id)).value.id).toBe(sam.id);
    const ledger = await org.ledger();
    expect(ledger.entries.filter((e) => e.kind === 'responder' && (e.responder === lina.id || e.responder === noor.id)).length).toBe(2);
    // The genuine renewal in the same batch: Sam's certificate renewed with the same keys, the old serial revoked.
    const renewed = (await certOf(sam.id)).value;
    expect(renewed.serial).not.toBe(samSerial);
    expect(renewed.expires - Date.now()).toBeGreaterThan(25 * DAY);
    expect(renewed.signPublicKey).toEqual((await certOf(sam.id)).value.signPublicKey);
    expect(parseRevocationList(fromBase64url(await revocationList())).value.serials).toContain(samSerial);
    expect(ledger.entries.length).toBeGreaterThan(before);
  });

  it('(b) a deactivation naming a foreign or unknown serial: refused, nothing signed', { timeout: 120_000 }, async () => {
    const admin = await org.addResponder('rut', ['konsult'], ['responder', 'admin']);
    const kim = await org.addResponder('kim', ['konsult']);
    const ola = await org.addResponder('ola', ['konsult']);
    const adminSerial = (await certOf(admin.id)).value.serial;
    // The server asks to deactivate Kim "with serial" the admin's own, and Ola with a serial never issued.
    const request = (responder: string, serial: number) => JSON.stringify({ kind: 'deactivate', responder, serial, teams: ['konsult'], requestedBy: admin.id, at: Date.now() });
    await org.redis.cli('HSET', PENDING, `deactivate:${kim.id}`, request(kim.id, adminSerial));
    await org.redis.cli('HSET', PENDING, `deactivate:${ola.id}`, request(ola.id, 987_654_321));
    // Settle what is due anyway (fresh list, team keys) so that the run below has only the attacks to judge.
    const listBefore = await revocationList();
    const ledgerBefore = await org.ledger();
    const run = await org.runOrg(['sign'], 'yes\n');
    expect(run.stdout).toMatch(/Revoke Handläggare kim[^\n]*\n\s+why: serial \d+ was not issued to r-kim/);
    expect(run.stdout).toMatch(/Revoke Handläggare ola[^\n]*\n\s+why: serial 987654321 is not in the ledger/);
    expect(run.stdout).toContain('Nothing to sign.');
    expect(run.code).toBe(3);
    expect(await revocationList()).toBe(listBefore);
    expect(parseRevocationList(fromBase64url(await revocationList())).value.serials).not.toContain(adminSerial);
    const ledgerAfter = await org.ledger();
    expect(ledgerAfter.entries.length).toBe(ledgerBefore.entries.length);
    expect(ledgerAfter.wire).toEqual(ledgerBefore.wire);

    // The genuine path still works: the admin deactivates Ola in the console; the tool revokes the ledger's serial.
    await org.redis.cli('HDEL', PENDING, `deactivate:${kim.id}`, `deactivate:${ola.id}`);
    const olaSerial = (await certOf(ola.id)).value.serial;
    await org.store.staff.putResponder({ ...((await org.store.staff.getResponder(ola.id)) as NonNullable<Awaited<ReturnType<typeof org.store.staff.getResponder>>>), active: false });
    await org.redis.cli('HSET', PENDING, `deactivate:${ola.id}`, request(ola.id, olaSerial));
    const ok = await org.runOrg(['sign'], 'yes\n');
    expect(ok.stdout).toContain('revoked Handläggare ola');
    const serials = parseRevocationList(fromBase64url(await revocationList())).value.serials;
    expect(serials).toContain(olaSerial);
    expect(serials).not.toContain(adminSerial);
  });

  it('(rollback) an older signed ledger on the server is refused against the local file and replaced', { timeout: 120_000 }, async () => {
    // Team konsult: the records test (a) left altered in team unga would (rightly) stop its rotation.
    const admin = await org.addResponder('vera', ['konsult'], ['responder', 'admin']);
    const old = await org.redis.cli('HGET', LEDGER, 'current');
    const leaver = await org.addResponder('per', ['konsult']);
    const serial = (await certOf(leaver.id)).value.serial;
    await org.store.staff.putResponder({ ...((await org.store.staff.getResponder(leaver.id)) as NonNullable<Awaited<ReturnType<typeof org.store.staff.getResponder>>>), active: false });
    await org.redis.cli('HSET', PENDING, `deactivate:${leaver.id}`, JSON.stringify({ kind: 'deactivate', responder: leaver.id, serial, teams: ['konsult'], requestedBy: admin.id, at: Date.now() }));
    // The attacker puts back the copy from before Per was certified: Per's serial unknown to it.
    await org.redis.cli('HSET', LEDGER, 'current', old);
    const run = await org.runOrg(['sign'], 'yes\n');
    expect(run.stdout).toContain("The server's copy of the ledger is older than the local one");
    expect(run.stdout).toContain('revoked Handläggare per');
    expect(parseRevocationList(fromBase64url(await revocationList())).value.serials).toContain(serial);
    expect(await org.redis.cli('HGET', LEDGER, 'current')).not.toBe(old);
    expect((await org.ledger()).entries.some((e) => e.kind === 'revoke' && e.serial === serial)).toBe(true);
  });
});
