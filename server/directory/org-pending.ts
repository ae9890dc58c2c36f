// What awaits the organisation key in a real organisation: the console records requests (a team or
// role change, a deactivation's revocation and key rotation) and this module lists them together
// with what falls due on its own (enrolments, certificates ending within a week, team inbox keys
// ending within two days or sealed to other members than the team has, a revocation list older than
// a day). The console shows the list ("Väntar på signering"); `npm run org sign` reads the same list,
// checks every item against its ledger and the pinned root, and signs what the admin confirms.
// Nothing here is trusted by the signer: it is a to-do list, not a source of keys or serials.
import { z } from 'zod';
import { fromBase64url, keyFingerprint, parseOrgCert, parseOrgRevocation, parseResponderCert, parseRevocationList, parseTeamCert } from '../../crypto/index.js';
import type { Clock } from '../clock.js';
import type { Invitations } from '../enrolment/invitations.js';
import type { OrgId, RecordStore, ResponderId, Store } from '../store/ports.js';
import type { Directory } from './directory.js';
import { DEFAULT_ORG, createOrganisations, orgOf } from './organisations.js';

const DAY = 86_400_000;
/** Certificates ending within this are renewed. */
export const RENEW_RESPONDER_WITHIN_MS = 7 * DAY;
/** Team inbox keys ending within this get a new epoch. */
export const RENEW_TEAM_WITHIN_MS = 2 * DAY;
/** A revocation list older than this is issued again (clients refuse one older than 48 h). */
export const RENEW_LIST_AFTER_MS = DAY;
/** The organisation certificate (≤ 90 days) is shown as due for the root's renewal this long before it ends. */
export const RENEW_ORG_CERT_WITHIN_MS = 14 * DAY;

const COLLECTION = 'org-pending';

export const PendingRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('change'), responder: z.string(), teams: z.array(z.string()), roles: z.array(z.string()), requestedBy: z.string(), at: z.number().int() }),
  z.object({ kind: z.literal('deactivate'), responder: z.string(), serial: z.number().int().nullable(), teams: z.array(z.string()), requestedBy: z.string(), at: z.number().int() }),
]);
export type PendingRequest = z.infer<typeof PendingRequestSchema>;

/** Everything that awaits a signature, for the console and the signing tool. */
export interface PendingView {
  readonly enrolments: ReadonlyArray<{ invitation: string; responder: string; displayName: string; login: string; teams: readonly string[]; roles: readonly string[]; fingerprint: string }>;
  readonly changes: ReadonlyArray<{ responder: string; displayName: string; teams: readonly string[]; roles: readonly string[]; fromTeams: readonly string[]; fromRoles: readonly string[] }>;
  readonly deactivations: ReadonlyArray<{ responder: string; displayName: string; serial: number | null; teams: readonly string[] }>;
  readonly renewals: ReadonlyArray<{ responder: string; displayName: string; serial: number; expires: number }>;
  readonly teamKeys: ReadonlyArray<{ team: string; name: string; epoch: number; expires: number | null; reason: 'expiring' | 'members' }>;
  readonly revocationList: { readonly issuedAt: number | null; readonly due: boolean };
  /**
   * The organisation certificate: due when it ends within RENEW_ORG_CERT_WITHIN_MS (the root's key
   * holders renew it with `npm run org renew-org-cert`), revoked when the published root revocation
   * names it. Null before an organisation is imported.
   */
  readonly orgCert: { readonly serial: number; readonly expires: number; readonly due: boolean; readonly revoked: boolean } | null;
  /** The organisation of a region whose list this is (null: the deployment's first; its admins sign with `--org <id>`). */
  readonly organisation: { readonly id: string; readonly name: string } | null;
}

export type OrgPending = ReturnType<typeof createOrgPending>;

export function createOrgPending(deps: { store: Store; directory: Directory; invitations: Invitations; clock: Clock }) {
  const records: RecordStore = deps.store.records;
  const { store, directory } = deps;

  async function requests(): Promise<PendingRequest[]> {
    const out: PendingRequest[] = [];
    for (const r of await records.list(COLLECTION)) {
      const parsed = PendingRequestSchema.safeParse(JSON.parse(r.value));
      if (parsed.success) out.push(parsed.data);
    }
    return out.sort((a, b) => a.at - b.at);
  }

  return {
    requests,

    /** Records a request (one per kind and responder: a newer one replaces it). */
    async request(request: PendingRequest): Promise<void> {
      await records.put(COLLECTION, `${request.kind}:${request.responder}`, JSON.stringify(PendingRequestSchema.parse(request)));
    },

    async done(kind: PendingRequest['kind'], responder: string): Promise<void> {
      await records.delete(COLLECTION, `${kind}:${responder}`);
    },

    /**
     * The list of organisation `org` (the first one by default) as of now: only its invitations,
     * its responders' requests, renewals and team keys, and its own certificates. Each organisation
     * of a region signs with its own key; nothing of another organisation is ever on its list.
     */
    async view(org: OrgId = DEFAULT_ORG): Promise<PendingView> {
      const now = deps.clock.now();
      const ours = async (id: string) => {
        const r = await store.staff.getResponder(id as ResponderId);
        return r !== null && orgOf(r) === org;
      };
      const pending: PendingRequest[] = [];
      for (const p of await requests()) if (await ours(p.responder)) pending.push(p);
      const name = async (id: string) => (await store.staff.getResponder(id as ResponderId))?.displayName ?? id;
      const enrolments = [];
      for (const inv of await deps.invitations.list()) {
        if (inv.state !== 'enrolled' || inv.responder === null || inv.signPublicKey === null || inv.boxPublicKey === null) continue;
        if (((inv.org ?? DEFAULT_ORG) as OrgId) !== org || !(await ours(inv.responder))) continue;
        enrolments.push({
          invitation: inv.id,
          responder: inv.responder,
          displayName: inv.displayName,
          login: inv.login ?? '',
          teams: inv.teams,
          roles: inv.roles,
          fingerprint: await keyFingerprint(fromBase64url(inv.signPublicKey), fromBase64url(inv.boxPublicKey)),
        });
      }
      const changes = [];
      const deactivations = [];
      for (const p of pending) {
        if (p.kind === 'change') {
          const r = await store.staff.getResponder(p.responder as ResponderId);
          changes.push({ responder: p.responder, displayName: r?.displayName ?? p.responder, teams: p.teams, roles: p.roles, fromTeams: r?.teams ?? [], fromRoles: r?.roles ?? [] });
        } else {
          deactivations.push({ responder: p.responder, displayName: await name(p.responder), serial: p.serial, teams: p.teams });
        }
      }
      const renewals = [];
      const members = new Map<string, Set<string>>();
      for (const keys of await directory.listResponderKeys()) {
        const r = await store.staff.getResponder(keys.responder as ResponderId);
        if (r === null || !r.active || orgOf(r) !== org) continue;
        for (const team of r.teams) members.set(team, (members.get(team) ?? new Set()).add(r.id));
        const cert = parseResponderCert(fromBase64url(keys.cert)).value;
        if (cert.expires - now < RENEW_RESPONDER_WITHIN_MS && !pending.some((p) => p.responder === r.id)) {
          renewals.push({ responder: r.id, displayName: r.displayName, serial: cert.serial, expires: cert.expires });
        }
      }
      const teamKeys = [];
      for (const team of await store.staff.listTeams()) {
        if (orgOf(team) !== org) continue;
        const current = await directory.currentTeamKey(team.id);
        const expires = current === null ? null : parseTeamCert(fromBase64url(current.cert)).value.expires;
        const want = members.get(team.id) ?? new Set();
        if (want.size === 0) continue;
        const sealedTo = new Set(Object.keys(current?.deliveries ?? {}));
        const sameMembers = sealedTo.size === want.size && [...want].every((m) => sealedTo.has(m));
        if (expires === null || expires - now < RENEW_TEAM_WITHIN_MS) teamKeys.push({ team: team.id, name: team.name, epoch: current?.epoch ?? 0, expires, reason: 'expiring' as const });
        else if (!sameMembers) teamKeys.push({ team: team.id, name: team.name, epoch: current?.epoch ?? 0, expires, reason: 'members' as const });
      }
      const bundle = await directory.getOrg(org);
      const issuedAt = bundle === null ? null : parseRevocationList(fromBase64url(bundle.revocationList)).value.issuedAt;
      const cert = bundle === null ? null : parseOrgCert(fromBase64url(bundle.orgCert)).value;
      const revokedSerials = bundle?.orgRevocation === undefined ? [] : parseOrgRevocation(fromBase64url(bundle.orgRevocation)).value.serials;
      const orgCert = cert === null ? null : { serial: cert.serial, expires: cert.expires, due: cert.expires - now < RENEW_ORG_CERT_WITHIN_MS, revoked: revokedSerials.includes(cert.serial) };
      const organisation = org === DEFAULT_ORG ? null : { id: org as string, name: (await createOrganisations(records).get(org))?.name ?? cert?.organisation?.name ?? org };
      return { enrolments, changes, deactivations, renewals, teamKeys, revocationList: { issuedAt, due: issuedAt === null || now - issuedAt > RENEW_LIST_AFTER_MS }, orgCert, organisation };
    },
  };
}

