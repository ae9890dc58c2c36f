// `npm run org sign`: everything that awaits the organisation key, in one batch. It reads the
// requests from the store (enrolments, changes, deactivations, renewals due, team inbox keys due,
// the revocation list), checks each against the ledger and the pinned root (crypto/org-admin.ts),
// lists what it will sign and what it refuses and why, asks ONE confirmation, then signs, rolls the
// ledger forward (saved before each upload) and uploads through the staff administration, which
// checks every upload again (server/directory/org-validate.ts). Nothing the server says is signed
// unless the ledger vouches for it: new keys only as an enrolment whose fingerprint was shown.
import {
  fromBase64url,
  keyFingerprint,
  parseResponderCert,
  toBase64url,
  type Ed25519PublicKey,
  type X25519PublicKey,
} from '../../crypto/index.js';
import {
  appendToLedger,
  indexLedger,
  ledgerHeadId,
  type Ledger,
  type LedgerEntry,
} from '../../crypto/ledger.js';
import {
  adoptCert,
  certifyEnrolment,
  checkIssuedCert,
  deactivationSerials,
  issueRevocations,
  renewCert,
  rotateTeamKey,
  type CheckedCert,
  type OrgSigner,
  type TeamKeyUpload,
} from '../../crypto/org-admin.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/directory.js';
import type { OrgPending } from '../directory/org-pending.js';
import type { SignedChange, StaffAdmin } from '../staff/staff-admin.js';
import type { Invitations } from '../enrolment/invitations.js';
import type { AuditAction } from '../../contract/audit.js';
import type { AuditWriter } from '../routes/audit-writer.js';
import type { OrgId, ResponderId, ResponderRecord, Store, TeamId } from '../store/ports.js';
import { DEFAULT_ORG, orgOf } from '../directory/organisations.js';

/** The actor the audit log names for what the signing tool did. */
export const CLI_ACTOR = 'org-cli' as ResponderId;

export interface SignDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly staff: StaffAdmin;
  readonly pending: OrgPending;
  readonly invitations: Invitations;
  readonly signer: OrgSigner;
  readonly ledger: Ledger;
  /** Persists the ledger (local file and the server's copy); called before every upload. */
  readonly saveLedger: (ledger: Ledger) => Promise<void>;
  readonly clock: Clock;
  readonly out: (line: string) => void;
  /** Asks the one question; true to sign. */
  readonly confirm: (question: string) => Promise<boolean>;
  /** The audit log, as the server writes it (keyed references). */
  readonly audit: AuditWriter;
  /** Also offer to record certificates the organisation key signed before the ledger existed. */
  readonly adopt: boolean;
  /** The organisation of a region whose key `signer` is (the deployment's first by default). */
  readonly org?: OrgId;
}

/** The organisation the root certified `signer` for: the one its certificate names, or the first (version 1). */
export const signerOrg = (signer: OrgSigner): OrgId => (signer.org.organisation?.id ?? DEFAULT_ORG) as OrgId;

/**
 * Refuses to sign for `org` with a key the root certified for another organisation: the server hands
 * out the sealed key and certificate, and must not be able to pass one organisation's off as another's.
 */
export function assertSignerOrg(signer: OrgSigner, org: OrgId): void {
  const named = signerOrg(signer);
  if (named !== org) {
    throw new Error(`The organisation certificate the server holds for ${org} is the root's certificate for ${named === DEFAULT_ORG ? 'the first organisation' : named}. Nothing signed: compare the organisation key with the key log.`);
  }
}

interface Item {
  readonly title: string;
  readonly details: readonly string[];
  /** Signs, saves the ledger, uploads; resolves with what was done. */
  readonly run: () => Promise<string>;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message.replace(/^[A-Za-z]+: /, '') : String(error));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const list = (xs: readonly string[]) => (xs.length === 0 ? '–' : xs.join(', '));

/** Runs one batch. Resolves with the counts; the ledger handed back is the one rolled forward. */
export async function signPending(deps: SignDeps): Promise<{ signed: number; refused: number; failed: number; ledger: Ledger }> {
  const { store, directory, staff, signer, out } = deps;
  const org = deps.org ?? DEFAULT_ORG;
  assertSignerOrg(signer, org);
  let ledger = deps.ledger;
  const now = () => new Date(deps.clock.now());
  const index = () => indexLedger(ledger);
  const used = new Set<number>();
  const items: Item[] = [];
  const refusals: Array<{ title: string; reason: string }> = [];
  const refuse = (title: string, error: unknown) => refusals.push({ title, reason: reasonOf(error) });
  const view = await deps.pending.view(org);
  const name = async (id: string) => (await store.staff.getResponder(id as ResponderId))?.displayName ?? id;
  const fingerprintOf = (cert: CheckedCert) => keyFingerprint(cert.cert.signPublicKey, cert.cert.boxPublicKey);

  /** Ledger entries appended and saved (before anything is uploaded). */
  const record = async (entries: readonly LedgerEntry[]) => {
    ledger = appendToLedger(ledger, entries, signer.keyPair, now());
    await deps.saveLedger(ledger);
  };
  const serials = async () => {
    for (const s of index().serials) used.add(s);
    for (const keys of await directory.listResponderKeys()) used.add(parseResponderCert(fromBase64url(keys.cert)).value.serial);
  };
  await serials();

  /** Active members of `team` with certificates, as the server has them (`change` applied first). */
  const members = async (team: string, change: { record: ResponderRecord; cert: Uint8Array | null } | null) => {
    const out: Array<{ id: string; cert: Uint8Array }> = [];
    for (const keys of await directory.listResponderKeys()) {
      const isChanged = change !== null && keys.responder === change.record.id;
      const r = isChanged ? change.record : await store.staff.getResponder(keys.responder as ResponderId);
      if (r === null || !r.active || !r.teams.includes(team as TeamId) || orgOf(r) !== org) continue;
      const cert = isChanged && change.cert !== null ? change.cert : fromBase64url(keys.cert);
      out.push({ id: r.id, cert });
    }
    return out;
  };
  /** Every member's certificate checked against the ledger before anything is signed. */
  const checkMembers = (ms: ReadonlyArray<{ id: string; cert: Uint8Array }>) => {
    for (const m of ms) {
      try {
        checkIssuedCert(signer, index(), m.cert, m.id);
      } catch (error) {
        throw new Error(`member ${m.id}: ${reasonOf(error)}`);
      }
    }
  };
  const published = async () => fromBase64url((await directory.getOrg(org))?.revocationList ?? '');
  const nextEpoch = async (team: string) => ((await directory.currentTeamKey(team as TeamId))?.epoch ?? 0) + 1;
  const upload = (u: TeamKeyUpload) => ({ team: u.team, epoch: u.epoch, cert: toBase64url(u.cert), deliveries: Object.fromEntries([...u.deliveries].map(([id, sealed]) => [id, toBase64url(sealed)])) });
  const audit = (action: AuditAction, ref?: string) => deps.audit(CLI_ACTOR, action, ref);
  /** Signs the revocation list and rotates `teams` (member lists from `membersOf`), recording the team certificates. */
  const listAndRotate = async (teams: readonly string[], add: readonly number[], membersOf: (team: string) => Promise<Array<{ id: string; cert: Uint8Array }>>) => {
    const { list, anchor } = issueRevocations(signer, ledger, await published(), add, now());
    const teamKeys = [];
    const entries: LedgerEntry[] = [];
    for (const team of teams) {
      const rotated = rotateTeamKey(signer, anchor, index(), { team, epoch: await nextEpoch(team), members: await membersOf(team) }, used, now());
      teamKeys.push(upload(rotated.value));
      entries.push(...rotated.entries);
    }
    return { revocationList: toBase64url(list), teamKeys, entries };
  };
  const rotatedTeams = new Set<string>();

  // 1. Enrolments: new keys enter the ledger only here, after the admin saw the fingerprint.
  for (const e of view.enrolments) {
    const title = `Certify ${e.displayName} (login ${e.login}) — new keys`;
    const inv = await deps.invitations.get(e.invitation);
    if (inv === null || inv.state !== 'enrolled' || inv.signPublicKey === null || inv.boxPublicKey === null || inv.responder === null) continue;
    if ((inv.org ?? DEFAULT_ORG) !== org) {
      refuse(title, new Error(`the invitation belongs to organisation ${inv.org ?? DEFAULT_ORG}`));
      continue;
    }
    const sign = fromBase64url(inv.signPublicKey);
    const box = fromBase64url(inv.boxPublicKey);
    if (sign.length !== 32 || box.length !== 32) {
      refuse(title, new Error('the enrolled keys are malformed'));
      continue;
    }
    const fingerprint = await keyFingerprint(sign, box);
    const teams = [...inv.teams];
    const responder = inv.responder;
    for (const t of teams) rotatedTeams.add(t);
    items.push({
      title,
      details: [`fingerprint ${fingerprint}  ← compare with what ${e.displayName} reads from their own screen`, `teams ${list(teams)}; roles ${list(inv.roles)}; certificate 30 days; new inbox keys for ${list(teams)}`],
      run: async () => {
        const before = new Map<string, Array<{ id: string; cert: Uint8Array }>>();
        for (const t of teams) before.set(t, (await members(t, null)).filter((m) => m.id !== responder));
        for (const ms of before.values()) checkMembers(ms);
        const issued = certifyEnrolment(signer, { responder, displayName: inv.displayName, teams, roles: inv.roles, signPublicKey: sign as Ed25519PublicKey, boxPublicKey: box as X25519PublicKey }, used, now());
        ledger = appendToLedger(ledger, issued.entries, signer.keyPair, now());
        const signed = await listAndRotate(teams, [], async (t) => [...(before.get(t) ?? []), { id: responder, cert: issued.value }]);
        await record(signed.entries);
        await staff.certify(inv, { cert: toBase64url(issued.value), revocationList: signed.revocationList, teamKeys: signed.teamKeys });
        await deps.invitations.put({ ...inv, state: 'certified', wrappedKeys: null });
        await audit('certify', responder);
        return `certified ${e.displayName}; inbox keys of ${list(teams)} rotated`;
      },
    });
  }

  // 2. Team and role changes: the current certificate must match the ledger; same keys, new teams/roles.
  for (const c of view.changes) {
    const title = `Re-certify ${c.displayName}: teams ${list(c.fromTeams)} → ${list(c.teams)}; roles ${list(c.fromRoles)} → ${list(c.roles)}`;
    const keys = await directory.getResponderKeys(c.responder as ResponderId);
    const current = await store.staff.getResponder(c.responder as ResponderId);
    let checked: CheckedCert;
    try {
      if (keys === null || current === null) throw new Error('no certificate on the server');
      checked = checkIssuedCert(signer, index(), fromBase64url(keys.cert), c.responder);
    } catch (error) {
      refuse(title, error);
      continue;
    }
    const touched = [...new Set([...checked.cert.teams, ...c.teams])].filter((t) => checked.cert.teams.includes(t) !== c.teams.includes(t));
    for (const t of touched) rotatedTeams.add(t);
    items.push({
      title,
      details: [`same keys, fingerprint ${await fingerprintOf(checked)}; serial ${checked.cert.serial} revoked; new inbox keys for ${list(touched)}`],
      run: async () => {
        const after = { ...(current as ResponderRecord), teams: c.teams as TeamId[], roles: c.roles as ResponderRecord['roles'] };
        for (const t of touched) checkMembers((await members(t, null)).filter((m) => m.id !== c.responder));
        const renewed = renewCert(signer, checked, { teams: c.teams, roles: c.roles }, used, now());
        ledger = appendToLedger(ledger, renewed.entries, signer.keyPair, now());
        const signed = await listAndRotate(touched, [checked.cert.serial], (t) => members(t, { record: after, cert: renewed.value }));
        await record(signed.entries);
        const change: SignedChange = { cert: toBase64url(renewed.value), revocationList: signed.revocationList, teamKeys: signed.teamKeys };
        await staff.update(CLI_ACTOR, c.responder, { teams: c.teams as TeamId[], roles: after.roles }, change);
        await audit('staff-change', c.responder);
        return `re-certified ${c.displayName}`;
      },
    });
  }

  // 3. Deactivations: only serials the ledger holds for that responder are revoked.
  for (const d of view.deactivations) {
    const title = `Revoke ${d.displayName} (deactivated) and rotate the inbox keys of ${list(d.teams)}`;
    let revoke: ReturnType<typeof deactivationSerials>;
    try {
      revoke = deactivationSerials(index(), d.responder, d.serial, now());
    } catch (error) {
      refuse(title, error);
      continue;
    }
    for (const t of d.teams) rotatedTeams.add(t);
    items.push({
      title,
      details: [`serial(s) revoked: ${list(revoke.value.map(String))} (from the ledger)`],
      run: async () => {
        for (const t of d.teams) checkMembers(await members(t, null));
        ledger = appendToLedger(ledger, revoke.entries, signer.keyPair, now());
        const signed = await listAndRotate(d.teams, revoke.value, (t) => members(t, null));
        await record(signed.entries);
        await staff.completeDeactivation(d.responder, { revocationList: signed.revocationList, teamKeys: signed.teamKeys });
        await audit('staff-deactivate', d.responder);
        for (const t of d.teams) await audit('team-key-rotate', t);
        return `revoked ${d.displayName}; inbox keys of ${list(d.teams)} rotated`;
      },
    });
  }

  // 4. Renewals: the same certificate again (keys, teams, roles) only if it matches the ledger.
  for (const r of view.renewals) {
    const title = `Renew ${r.displayName} (serial ${r.serial} ends ${day(r.expires)})`;
    const keys = await directory.getResponderKeys(r.responder as ResponderId);
    let checked: CheckedCert;
    try {
      if (keys === null) throw new Error('no certificate on the server');
      checked = checkIssuedCert(signer, index(), fromBase64url(keys.cert), r.responder);
    } catch (error) {
      refuse(title, error);
      continue;
    }
    items.push({
      title,
      details: [`same keys, fingerprint ${await fingerprintOf(checked)}; teams ${list(checked.cert.teams)}; roles ${list(checked.cert.roles)}; 30 days`],
      run: async () => {
        const renewed = renewCert(signer, checked, { teams: checked.cert.teams, roles: checked.cert.roles }, used, now());
        ledger = appendToLedger(ledger, renewed.entries, signer.keyPair, now());
        const { list: revocationList } = issueRevocations(signer, ledger, await published(), [checked.cert.serial], now());
        await record([]);
        await staff.update(CLI_ACTOR, r.responder, { teams: checked.cert.teams as TeamId[], roles: checked.cert.roles as ResponderRecord['roles'] }, { cert: toBase64url(renewed.value), revocationList: toBase64url(revocationList), teamKeys: [] });
        await audit('staff-change', r.responder);
        return `renewed ${r.displayName}`;
      },
    });
  }

  // 5. Team inbox keys that end soon or are sealed to other members, and the revocation list.
  const teams: string[] = [];
  for (const t of view.teamKeys) {
    if (rotatedTeams.has(t.team)) continue;
    const ms = await members(t.team, null);
    try {
      checkMembers(ms);
    } catch (error) {
      refuse(`New inbox key for ${t.name}`, error);
      continue;
    }
    teams.push(t.team);
    items.push({
      title: `New inbox key for ${t.name} (epoch ${t.epoch + 1}; ${t.reason === 'expiring' ? `the current one ends ${t.expires === null ? 'now' : day(t.expires)}` : 'members changed'})`,
      details: [`sealed to: ${list(await Promise.all(ms.map((m) => name(m.id))))}`],
      run: async () => 'included below',
    });
  }
  const listDue = view.revocationList.due || teams.length > 0;
  if (listDue) {
    items.push({
      title: `Fresh revocation list (the published one is from ${view.revocationList.issuedAt === null ? '–' : new Date(view.revocationList.issuedAt).toISOString().slice(0, 16).replace('T', ' ')})`,
      details: teams.length === 0 ? [] : [`with the new inbox keys of ${list(teams)}`],
      run: async () => {
        const signed = await listAndRotate(teams, [], async (t) => {
          const ms = await members(t, null);
          checkMembers(ms);
          return ms;
        });
        await record(signed.entries);
        await staff.renew({ revocationList: signed.revocationList, teamKeys: signed.teamKeys }, org);
        await audit('org-renew');
        for (const t of teams) await audit('team-key-rotate', t);
        return `revocation list renewed${teams.length === 0 ? '' : `; inbox keys of ${list(teams)} rotated`}`;
      },
    });
  }

  // Certificates the organisation key signed before this ledger existed (only with --adopt).
  const adopted: LedgerEntry[] = [];
  if (deps.adopt) {
    for (const keys of await directory.listResponderKeys()) {
      let found: ReturnType<typeof adoptCert>;
      try {
        found = adoptCert(signer, index(), fromBase64url(keys.cert), now());
      } catch {
        continue;
      }
      const { cert } = found;
      if (cert.id !== keys.responder) continue;
      adopted.push(found.entry);
      items.unshift({
        title: `Record in the ledger: ${cert.displayName} (serial ${cert.serial}, certified before the ledger)`,
        details: [`fingerprint ${await keyFingerprint(cert.signPublicKey, cert.boxPublicKey)}  ← compare with what ${cert.displayName} reads from their own screen`],
        run: async () => 'recorded',
      });
    }
  }

  out(`Ledger: ${ledger.entries.length} entries, head ${ledgerHeadId(ledger)}.`);
  if (refusals.length > 0) {
    out('');
    out(`REFUSED (${refusals.length}) — the server's records do not match the ledger; nothing is signed for these:`);
    for (const r of refusals) out(`  ✗ ${r.title}\n      why: ${r.reason}`);
  }
  if (items.length === 0) {
    out('');
    out('Nothing to sign.');
    return { signed: 0, refused: refusals.length, failed: 0, ledger };
  }
  out('');
  out(`To sign with the organisation key (${items.length}):`);
  items.forEach((item, i) => {
    out(`  ${i + 1}. ${item.title}`);
    for (const d of item.details) out(`       ${d}`);
  });
  out('');
  if (!(await deps.confirm(`Sign these ${items.length} item(s)? Type "yes" to sign: `))) {
    out('Nothing signed.');
    return { signed: 0, refused: refusals.length, failed: 0, ledger };
  }
  if (adopted.length > 0) await record(adopted);
  let signed = 0;
  let failed = 0;
  for (const item of items) {
    try {
      const done = await item.run();
      if (done !== 'included below' && done !== 'recorded') out(`  ✓ ${done}`);
      signed += 1;
    } catch (error) {
      failed += 1;
      out(`  ✗ ${item.title}: ${reasonOf(error)}`);
    }
  }
  out(`Ledger: ${ledger.entries.length} entries, head ${ledgerHeadId(ledger)} (write it down in the admin log).`);
  return { signed, refused: refusals.length, failed, ledger };
}
