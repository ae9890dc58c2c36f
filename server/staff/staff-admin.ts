// Staff administration: list responders, change their teams and roles (a new certificate, the old one
// revoked, the inbox keys of every team joined or left rotated), and deactivate them (inactive, off
// duty, sockets closed, certificate revoked, the inbox keys of all their teams rotated at once).
//
// Who signs: in the demo organisation (DEMO mode only) the server holds the organisation key and signs
// here. In a real organisation nothing in a served page ever holds the organisation key: the console
// records the request (org-pending.ts), the account side of a deactivation happens at once, and the
// `npm run org sign` tool (server/cli/) signs after checking its ledger and uploads the certificate,
// the revocation list and the new inbox epochs through `certify`, `update`, `completeDeactivation`
// and `renew` here; they are checked (org-validate.ts) before anything changes, so a refused upload
// leaves everything as it was.
//
// Conversations the responder holds when deactivated: callback requests go back to waiting in their
// team (server/callbacks: a colleague opens one with the team key while it was not yet re-sealed to
// the leaver, otherwise a supervisor of the team takes it over with the copy sealed to them).
// Chats are closed with the outcome "responder-deactivated": a chat can only continue through a fresh
// handshake that the current responder hands over in the channel (transfer), which a deactivated
// responder no longer may do; put back in the queue, a chat would strand the visitor in a session
// nobody can answer. Closed, the widget says so at once and the visitor can start again — sealed to
// the new inbox epoch the leaver cannot open.
import {
  fromBase64url,
  isCryptoError,
  keyFingerprint,
  issueResponderCert,
  issueRevocationList,
  UNKNOWN_EXPIRY,
  parseResponderCert,
  parseRevocationList,
  parseTeamCert,
  toBase64url,
  type Random,
} from '../../crypto/index.js';
import type { StaffMember } from '../../contract/rest.js';
import type { Clock } from '../clock.js';
import type { ConversationService } from '../conversations/service.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { ConversationId, OrgId, ResponderId, ResponderRecord, Role, Store, TeamId } from '../store/ports.js';
import { DEFAULT_ORG, orgOf } from '../directory/organisations.js';
import { issueDemoTeamKey, nextSerial, orgSecret } from '../directory/demo-org.js';
import type { Directory, TeamKeyRecord } from '../directory/directory.js';
import type { Invitation } from '../enrolment/invitations.js';
import { createOrgValidator, usedSerials, type SignedTeamKey } from '../directory/org-validate.js';
import type { OrgPending } from '../directory/org-pending.js';

const DAY = 86_400_000;

/** What `npm run org` signed for one change (absent in the demo organisation, where the server signs). */
export interface SignedChange {
  /** The new responder certificate (team or role change). */
  readonly cert?: string;
  readonly revocationList: string;
  readonly teamKeys: readonly SignedTeamKey[];
}

/** What the admin's browser needs to sign a change: current epochs, and what the organisation signs with. */
export interface OrgState {
  readonly mode: 'demo' | 'organisation';
  readonly orgCert: string | null;
  readonly revocationList: string | null;
  readonly teams: ReadonlyArray<{ id: string; name: string; epoch: number; expires: number | null }>;
}

export interface StaffAdminDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly random: Random;
  readonly conversations: ConversationService;
  /** Callback requests: what a deactivated responder held goes back to waiting. */
  readonly callbacks?: { releaseAll(holder: ResponderId): Promise<number> };
  readonly rootPublicKey: string | null;
  /** Closes the responder's WebSockets on every instance. */
  readonly disconnect: (responder: ResponderId) => Promise<void>;
  /** DEMO mode: the server may sign with the demo organisation key it holds. Never in a real organisation. */
  readonly demo: boolean;
  /** Requests awaiting the organisation key (real organisation). */
  readonly pending: OrgPending;
}

export type StaffAdmin = ReturnType<typeof createStaffAdmin>;

/** Bytes that do not even parse (a CryptoError) are the uploader's mistake: 400, never 500. */
async function refuseMalformed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isCryptoError(error)) throw new ApiError(ErrorCode.InvalidRequest, 'An uploaded certificate, list or key delivery is malformed.');
    throw error;
  }
}

/** Plan of one change: the responder afterwards, the serial to revoke, and each rotated team's members. */
interface Plan {
  readonly after: ResponderRecord;
  readonly revoke: number | null;
  readonly rotate: ReadonlyArray<{ team: TeamId; epoch: number; members: Map<string, Uint8Array> }>;
}

export function createStaffAdmin(deps: StaffAdminDeps) {
  const { store, directory } = deps;
  const validator = createOrgValidator(deps);
  const demoDeps = { store, directory, clock: deps.clock, random: deps.random };

  async function responder(id: string): Promise<ResponderRecord> {
    const record = /^[A-Za-z0-9._-]{1,64}$/.test(id) ? await store.staff.getResponder(id as ResponderId) : null;
    if (record === null) throw new ApiError(ErrorCode.NotFound, 'No such responder.');
    return record;
  }

  /** Active members with certified keys of `team`, after `changed` takes effect: id → X25519 key. */
  async function members(team: TeamId, changed: ResponderRecord): Promise<Map<string, Uint8Array>> {
    const result = new Map<string, Uint8Array>();
    for (const keys of await directory.listResponderKeys()) {
      const r = keys.responder === changed.id ? changed : await store.staff.getResponder(keys.responder as ResponderId);
      if (r === null || !r.active || !r.teams.includes(team)) continue;
      result.set(r.id, parseResponderCert(fromBase64url(keys.cert)).value.boxPublicKey);
    }
    return result;
  }

  async function plan(before: ResponderRecord, after: ResponderRecord, teams: readonly TeamId[]): Promise<Plan> {
    const keys = await directory.getResponderKeys(before.id);
    const revoke = keys === null ? null : parseResponderCert(fromBase64url(keys.cert)).value.serial;
    const rotate = [];
    for (const team of teams) {
      const current = await directory.currentTeamKey(team);
      rotate.push({ team, epoch: (current?.epoch ?? 0) + 1, members: await members(team, after) });
    }
    return { after, revoke, rotate };
  }

  /** The demo organisation's key: only in DEMO mode (a key written into a real organisation's store is ignored). */
  const demoSecret = async (org: OrgId = DEFAULT_ORG) => (deps.demo ? orgSecret(store, org) : null);

  /** The artefacts of a plan: signed here (demo) or checked from `npm run org`. */
  async function artefacts(p: Plan, signed: SignedChange | undefined, withCert: boolean): Promise<{ cert: string | null; revocationList: string; teamKeys: TeamKeyRecord[] }> {
    // The demo signs with the responder's own organisation's key (a region keeps one per organisation).
    const secret = await demoSecret(orgOf(p.after));
    const org = await validator.bundle(orgOf(p.after));
    const revoked = parseRevocationList(fromBase64url(org.revocationList)).value.entries;
    const mustRevoke = p.revoke === null ? [] : [p.revoke];
    const keys = await directory.getResponderKeys(p.after.id);
    // The revoked certificate's expiry travels with its serial, so the list drops it once it expires.
    const oldCert = keys === null ? null : parseResponderCert(fromBase64url(keys.cert)).value;
    const revokedNow = mustRevoke.map((serial) => ({ serial, expires: oldCert?.serial === serial ? oldCert.expires : UNKNOWN_EXPIRY }));
    if (signed === undefined) {
      if (secret === null) throw new ApiError(ErrorCode.InvalidRequest, 'The change must be signed with the organisation key (npm run org sign).');
      const now = deps.clock.now();
      const revocationList = toBase64url(issueRevocationList(secret, { issuedAt: now, entries: [...revoked, ...revokedNow] }));
      let cert: string | null = null;
      if (withCert && keys !== null) {
        const old = parseResponderCert(fromBase64url(keys.cert)).value;
        cert = toBase64url(
          issueResponderCert(secret, { ...old, serial: await nextSerial(store), teams: [...p.after.teams], roles: [...p.after.roles], notBefore: now - 60_000, expires: now - 60_000 + 30 * DAY }),
        );
      }
      const teamKeys = [];
      for (const r of p.rotate) {
        teamKeys.push(await issueDemoTeamKey(demoDeps, secret, r.team, r.epoch, [...r.members].map(([id, boxPublicKey]) => ({ id, boxPublicKey }))));
      }
      return { cert, revocationList, teamKeys };
    }
    return refuseMalformed(() => checkSigned(p, signed, mustRevoke, withCert));
  }

  /** Account side of a deactivation: inactive, off duty, sockets closed, held callbacks back to the queue, chats closed. */
  async function retire(before: ResponderRecord): Promise<{ requeued: number; closed: number }> {
    await store.staff.putResponder({ ...before, active: false });
    for (const team of before.teams) await store.duty.setOnDuty(team, before.id, false);
    await deps.disconnect(before.id);
    let requeued = (await deps.callbacks?.releaseAll(before.id)) ?? 0;
    let closed = 0;
    for (const entry of await store.queues.list(`~${before.id}` as TeamId, 1000)) {
      const record = await store.conversations.get(entry.id as ConversationId);
      await store.queues.remove(`~${before.id}` as TeamId, entry.id);
      if (record === null || record.status !== 'active' || record.assignee !== before.id) continue;
      try {
        if (record.category === 'callback') {
          await deps.conversations.transfer(record.id, before, { kind: 'team', team: record.team });
          requeued += 1;
        } else {
          await deps.conversations.close(record.id, before, 'responder-deactivated');
          closed += 1;
        }
      } catch (error) {
        // Closed or moved meanwhile by the visitor or an expiry: nothing left to do for it.
        if (!(error instanceof ApiError)) throw error;
      }
    }
    return { requeued, closed };
  }

  /** The uploaded artefacts of a plan, each checked (org-validate.ts). */
  async function checkSigned(p: Plan, signed: SignedChange, mustRevoke: number[], withCert: boolean): Promise<{ cert: string | null; revocationList: string; teamKeys: TeamKeyRecord[] }> {
    const keys = await directory.getResponderKeys(p.after.id);
    // Everything must chain to the responder's own organisation: another organisation's key signs nothing here.
    const orgId = orgOf(p.after);
    const anchor = await validator.revocationList(signed.revocationList, mustRevoke, orgId);
    const used = await usedSerials(directory, (await store.staff.listTeams()).map((t) => t.id), orgId);
    let cert: string | null = null;
    if (withCert && keys !== null) {
      if (signed.cert === undefined) throw new ApiError(ErrorCode.InvalidRequest, 'A new certificate is needed.');
      const old = parseResponderCert(fromBase64url(keys.cert)).value;
      const verified = validator.responderCert(anchor, signed.cert, {
        id: p.after.id,
        displayName: old.displayName,
        signPublicKey: toBase64url(old.signPublicKey),
        boxPublicKey: toBase64url(old.boxPublicKey),
        teams: p.after.teams,
        roles: p.after.roles,
        usedSerials: used,
      });
      cert = toBase64url(verified.bytes);
    }
    if (signed.teamKeys.length !== p.rotate.length) throw new ApiError(ErrorCode.InvalidRequest, `New inbox keys are needed for: ${p.rotate.map((r) => r.team).join(', ') || 'no team'}.`);
    const teamKeys = p.rotate.map((r) => {
      const upload = signed.teamKeys.find((k) => k.team === r.team);
      if (upload === undefined) throw new ApiError(ErrorCode.InvalidRequest, `A new inbox key is needed for ${r.team}.`);
      return validator.teamKey(anchor, upload, r.team, r.epoch, new Set(r.members.keys()), used);
    });
    return { cert, revocationList: signed.revocationList, teamKeys };
  }

  async function publish(revocationList: string, teamKeys: readonly TeamKeyRecord[], orgId: OrgId): Promise<void> {
    const org = await validator.bundle(orgId);
    await directory.putOrg({ ...org, revocationList }, orgId);
    for (const record of teamKeys) await directory.putTeamKey(record);
  }

  return {
    /** The responders (of `org` only, when given). */
    async list(org?: OrgId): Promise<StaffMember[]> {
      const rows: StaffMember[] = [];
      const keyed = new Map((await directory.listResponderKeys()).map((k) => [k.responder, k.cert]));
      // The staff port has no listing: responders are those with keys plus those enrolled by invitation.
      const ids = new Set<string>(keyed.keys());
      for (const invitation of await store.records.list('invitations')) {
        const responderId = (JSON.parse(invitation.value) as { responder?: string | null }).responder;
        if (typeof responderId === 'string') ids.add(responderId);
      }
      for (const id of ids) {
        const r = await store.staff.getResponder(id as ResponderId);
        if (r === null || (org !== undefined && orgOf(r) !== org)) continue;
        const cert = keyed.get(id) ?? null;
        const parsed = cert === null ? null : parseResponderCert(fromBase64url(cert)).value;
        rows.push({
          id: r.id,
          login: r.login,
          displayName: r.displayName,
          teams: [...r.teams],
          roles: [...r.roles],
          active: r.active,
          fingerprint: parsed === null ? null : await keyFingerprint(parsed.signPublicKey, parsed.boxPublicKey),
          certSerial: parsed?.serial ?? null,
          certExpires: parsed?.expires ?? null,
          cert,
        });
      }
      return rows.sort((a, b) => a.displayName.localeCompare(b.displayName, 'sv'));
    },

    /** The signing state of `orgId` (the first organisation by default) and every team's inbox epoch. */
    async orgState(orgId: OrgId = DEFAULT_ORG): Promise<OrgState> {
      const org = await directory.getOrg(orgId);
      const teams = [];
      for (const t of await store.staff.listTeams()) {
        const current = await directory.currentTeamKey(t.id);
        teams.push({ id: t.id, name: t.name, epoch: current?.epoch ?? 0, expires: current === null ? null : parseTeamCert(fromBase64url(current.cert)).value.expires });
      }
      return { mode: (await demoSecret(orgId)) === null ? 'organisation' : 'demo', orgCert: org?.orgCert ?? null, revocationList: org?.revocationList ?? null, teams };
    },

    /**
     * New teams and roles: a new certificate, the old serial revoked, joined and left teams rotated.
     * Signed here in the demo; in a real organisation without `signed` the change is recorded for
     * `npm run org sign` ('pending') and nothing else changes yet.
     */
    async update(actor: ResponderId, id: string, change: { teams: readonly TeamId[]; roles: readonly Role[] }, signed: SignedChange | undefined): Promise<'done' | 'pending'> {
      const before = await responder(id);
      if (!before.active) throw new ApiError(ErrorCode.InvalidRequest, 'This responder is deactivated.');
      for (const team of change.teams) {
        const record = await store.staff.getTeam(team);
        // A responder works in the teams of its own organisation only (another's is not even named).
        if (record === null || orgOf(record) !== orgOf(before)) throw new ApiError(ErrorCode.InvalidRequest, `Unknown team ${team}.`);
      }
      if (actor === before.id && before.roles.includes('admin') && !change.roles.includes('admin')) throw new ApiError(ErrorCode.InvalidRequest, 'You cannot take the admin role from yourself.');
      const after: ResponderRecord = { ...before, teams: [...new Set(change.teams)], roles: [...new Set(change.roles)] };
      if (signed === undefined && (await demoSecret(orgOf(before))) === null) {
        await deps.pending.request({ kind: 'change', responder: before.id, teams: [...after.teams], roles: [...after.roles], requestedBy: actor, at: deps.clock.now() });
        return 'pending';
      }
      const touched = [...new Set([...before.teams, ...after.teams])].filter((t) => before.teams.includes(t) !== after.teams.includes(t));
      const p = await plan(before, after, touched);
      const made = await artefacts(p, signed, true);
      await store.staff.putResponder(after);
      const keys = await directory.getResponderKeys(after.id);
      if (keys !== null && made.cert !== null) await directory.putResponderKeys({ ...keys, cert: made.cert });
      await publish(made.revocationList, made.teamKeys, orgOf(after));
      for (const team of before.teams) if (!after.teams.includes(team)) await store.duty.setOnDuty(team, after.id, false);
      await deps.pending.done('change', before.id);
      return 'done';
    },

    /**
     * Deactivates: inactive (every session and login refused from now), off duty, sockets closed, held
     * callbacks back to the queue, held chats closed (see the top of this file). In the demo the
     * certificate is revoked and every team's inbox key rotated at once; in a real organisation that
     * part is recorded for `npm run org sign` (`pending: true`, completeDeactivation).
     */
    async deactivate(actor: ResponderId, id: string): Promise<{ rotated: string[]; requeued: number; closed: number; pending: boolean }> {
      const before = await responder(id);
      if (before.id === actor) throw new ApiError(ErrorCode.InvalidRequest, 'You cannot deactivate yourself.');
      if (!before.active) throw new ApiError(ErrorCode.InvalidRequest, 'This responder is already deactivated.');
      const after: ResponderRecord = { ...before, active: false };
      if ((await demoSecret(orgOf(before))) === null) {
        const keys = await directory.getResponderKeys(before.id);
        const serial = keys === null ? null : parseResponderCert(fromBase64url(keys.cert)).value.serial;
        await deps.pending.done('change', before.id);
        await deps.pending.request({ kind: 'deactivate', responder: before.id, serial, teams: [...before.teams], requestedBy: actor, at: deps.clock.now() });
        return { rotated: [], ...(await retire(before)), pending: true };
      }
      const p = await plan(before, after, before.teams);
      const made = await artefacts(p, undefined, false);
      const moved = await retire(before);
      await publish(made.revocationList, made.teamKeys, orgOf(before));
      return { rotated: p.rotate.map((r) => r.team), ...moved, pending: false };
    },

    /**
     * The signed part of a deactivation (`npm run org sign`): a revocation list naming the leaver's
     * serial, and a new inbox epoch of each of its teams sealed to exactly the remaining members.
     */
    async completeDeactivation(id: string, signed: SignedChange): Promise<string[]> {
      const leaver = await responder(id);
      if (leaver.active) throw new ApiError(ErrorCode.InvalidRequest, 'This responder is still active.');
      const request = (await deps.pending.requests()).find((r) => r.kind === 'deactivate' && r.responder === leaver.id);
      if (request === undefined || request.kind !== 'deactivate') throw new ApiError(ErrorCode.InvalidRequest, 'No deactivation awaits signing for this responder.');
      const keys = await directory.getResponderKeys(leaver.id);
      const mustRevoke = keys === null ? [] : [parseResponderCert(fromBase64url(keys.cert)).value.serial];
      const teams = request.teams as TeamId[];
      if (signed.teamKeys.length !== teams.length || teams.some((t) => !signed.teamKeys.some((k) => k.team === t))) {
        throw new ApiError(ErrorCode.InvalidRequest, `New inbox keys are needed for: ${teams.join(', ') || 'no team'}.`);
      }
      await refuseMalformed(() => this.checkRenewal(signed, mustRevoke, orgOf(leaver)));
      await deps.pending.done('deactivate', leaver.id);
      return teams;
    },

    /**
     * Certifies an enrolled responder with a certificate `npm run org sign` issued (for exactly the
     * enrolled keys and the invitation's name, teams and roles) and the inbox keys of its teams
     * rotated to include it. The account is active only if everything checks.
     */
    async certify(inv: Invitation, signed: SignedChange): Promise<void> {
      if (inv.state !== 'enrolled' || inv.responder === null || inv.signPublicKey === null || inv.boxPublicKey === null || inv.wrappedKeys === null || signed.cert === undefined) {
        throw new ApiError(ErrorCode.InvitationInvalid);
      }
      const record = await store.staff.getResponder(inv.responder as ResponderId);
      if (record === null) throw new ApiError(ErrorCode.InvitationInvalid);
      const cert = signed.cert;
      const wrappedKeys = inv.wrappedKeys;
      await refuseMalformed(async () => {
        const orgId = orgOf(record);
        const anchor = await validator.revocationList(signed.revocationList, [], orgId);
        const used = await usedSerials(directory, (await store.staff.listTeams()).map((t) => t.id), orgId);
        const verified = validator.responderCert(anchor, cert, {
          id: record.id,
          displayName: record.displayName,
          signPublicKey: inv.signPublicKey ?? '',
          boxPublicKey: inv.boxPublicKey ?? '',
          teams: record.teams,
          roles: record.roles,
          usedSerials: used,
        });
        const active = { ...record, active: true };
        const rotate = [];
        for (const team of active.teams) {
          const current = await directory.currentTeamKey(team);
          const keyed = await members(team, active);
          keyed.set(active.id, verified.boxPublicKey);
          rotate.push({ team, epoch: (current?.epoch ?? 0) + 1, members: keyed });
        }
        const made = await checkSigned({ after: active, revoke: null, rotate }, { ...signed, cert: undefined }, [], false);
        await store.staff.putResponder(active);
        await directory.putResponderKeys({ responder: record.id, cert: toBase64url(verified.bytes), wrappedKeys });
        await publish(made.revocationList, made.teamKeys, orgId);
      });
    },

    /**
     * Renewals (`npm run org sign`): a fresh revocation list (it goes stale after 48 h) naming at least
     * `mustRevoke`, and new inbox epochs, each sealed to exactly the team's active members. `orgId`:
     * whose list and teams (the first organisation by default); another organisation's team is unknown.
     */
    async renew(signed: SignedChange, orgId: OrgId = DEFAULT_ORG): Promise<void> {
      await refuseMalformed(() => this.checkRenewal(signed, [], orgId));
    },

    async checkRenewal(signed: SignedChange, mustRevoke: readonly number[], orgId: OrgId = DEFAULT_ORG): Promise<void> {
      const anchor = await validator.revocationList(signed.revocationList, mustRevoke, orgId);
      const used = await usedSerials(directory, (await store.staff.listTeams()).map((t) => t.id), orgId);
      const teamKeys = [];
      for (const upload of signed.teamKeys) {
        const team = upload.team as TeamId;
        const record = await store.staff.getTeam(team);
        if (record === null || orgOf(record) !== orgId) throw new ApiError(ErrorCode.InvalidRequest, `Unknown team ${team}.`);
        const current = await directory.currentTeamKey(team);
        const nobody = { id: '' as ResponderId } as ResponderRecord;
        teamKeys.push(validator.teamKey(anchor, upload, team, (current?.epoch ?? 0) + 1, new Set((await members(team, nobody)).keys()), used));
      }
      await publish(signed.revocationList, teamKeys, orgId);
    },
  };
}
