// Invitations to enrol a responder: an admin names teams and roles; the invitee's browser makes and
// wraps its keys and sends the public ones; an admin certifies them after comparing the fingerprint.
// Over the RecordStore, keyed by the SHA-256 of the invitation token (the token itself is not kept).
import { z } from 'zod';
import type { Clock, RandomBytes } from '../clock.js';
import { hashToken, newToken } from '../conversations/ids.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { RecordStore } from '../store/ports.js';
import { TOKEN } from '../../contract/ids.js';
import { ROLES } from '../../contract/roles.js';

const COLLECTION = 'invitations';
/** An invitation is valid this long. */
export const INVITATION_TTL_MS = 7 * 86_400_000;

export const InvitationSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  teams: z.array(z.string()),
  /** The organisation of the admin who invited (absent: the first one); the responder joins it. */
  org: z.string().optional(),
  roles: z.array(z.enum(ROLES)),
  createdBy: z.string(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  state: z.enum(['open', 'enrolled', 'certified']),
  responder: z.string().nullable(),
  login: z.string().nullable(),
  signPublicKey: z.string().nullable(),
  boxPublicKey: z.string().nullable(),
  wrappedKeys: z.string().nullable(),
  fingerprint: z.string().nullable(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

export function createInvitations(deps: { records: RecordStore; clock: Clock; random: RandomBytes }) {
  const put = (inv: Invitation) => deps.records.put(COLLECTION, inv.id, JSON.stringify(InvitationSchema.parse(inv)));
  const get = async (id: string): Promise<Invitation | null> => {
    const raw = await deps.records.get(COLLECTION, id);
    return raw === null ? null : InvitationSchema.parse(JSON.parse(raw));
  };
  return {
    /** Creates one; returns the token for the invitation link (shown once). */
    async create(input: { displayName: string; teams: string[]; roles: Invitation['roles']; createdBy: string; org?: string }): Promise<{ token: string; invitation: Invitation }> {
      const token = newToken(deps.random);
      const now = deps.clock.now();
      const invitation: Invitation = {
        id: hashToken(token),
        ...input,
        createdAt: now,
        expiresAt: now + INVITATION_TTL_MS,
        state: 'open',
        responder: null,
        login: null,
        signPublicKey: null,
        boxPublicKey: null,
        wrappedKeys: null,
        fingerprint: null,
      };
      await put(invitation);
      return { token, invitation };
    },
    /** The open invitation of `token`; invitation_invalid when unknown, used or expired. */
    async open(token: string): Promise<Invitation> {
      const inv = TOKEN.test(token) ? await get(hashToken(token)) : null;
      if (inv === null || inv.state !== 'open' || inv.expiresAt <= deps.clock.now()) throw new ApiError(ErrorCode.InvitationInvalid);
      return inv;
    },
    get,
    put,
    async list(): Promise<Invitation[]> {
      return (await deps.records.list(COLLECTION)).map((r) => InvitationSchema.parse(JSON.parse(r.value)));
    },
    async remove(id: string): Promise<void> {
      await deps.records.delete(COLLECTION, id);
    },
  };
}
export type Invitations = ReturnType<typeof createInvitations>;
