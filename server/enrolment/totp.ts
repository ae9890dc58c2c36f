// TOTP second factor (RFC 6238, SHA-1, 6 digits, 30 s) with otpauth; secrets per responder in the
// RecordStore, a code accepted at most once (replay) within ±1 step of clock drift.
import { Secret, TOTP } from 'otpauth';
import type { Clock } from '../clock.js';
import type { OnceStore, RecordStore, ResponderId } from '../store/ports.js';

const COLLECTION = 'totp';
const PERIOD_S = 30;

interface TotpRecord {
  /** Base32 secret. */
  readonly secret: string;
  /** Set once the responder proved the authenticator app holds it. */
  readonly confirmed: boolean;
}

const totpOf = (secret: string, label = 'Utväg') => new TOTP({ issuer: 'Utväg', label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) });

export function createTotp(deps: { records: RecordStore; once: OnceStore; clock: Clock }) {
  const read = async (id: ResponderId): Promise<TotpRecord | null> => {
    const raw = await deps.records.get(COLLECTION, id);
    return raw === null ? null : (JSON.parse(raw) as TotpRecord);
  };
  /** True for a valid, not yet used code of `secret` now. */
  const check = async (id: ResponderId, secret: string, code: string): Promise<boolean> => {
    if (!/^\d{6}$/.test(code)) return false;
    const now = deps.clock.now();
    const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
    if (delta === null) return false;
    const step = Math.floor(now / 1000 / PERIOD_S) + delta;
    return deps.once.claimOnce(`totp:${id}:${step}`, 3 * PERIOD_S * 1000);
  };
  return {
    /** A new unconfirmed secret for `id` (replacing any) and its otpauth:// URI for the authenticator app. */
    async begin(id: ResponderId, login: string): Promise<{ secret: string; uri: string }> {
      const secret = new Secret({ size: 20 }).base32;
      await deps.records.put(COLLECTION, id, JSON.stringify({ secret, confirmed: false } satisfies TotpRecord));
      return { secret, uri: totpOf(secret, login).toString() };
    },
    /** Confirms the pending secret with a code from the app; false for a wrong code. */
    async confirm(id: ResponderId, code: string): Promise<boolean> {
      const record = await read(id);
      if (record === null || !(await check(id, record.secret, code))) return false;
      await deps.records.put(COLLECTION, id, JSON.stringify({ ...record, confirmed: true }));
      return true;
    },
    /** Whether login needs a code from `id`. */
    async required(id: ResponderId): Promise<boolean> {
      return (await read(id))?.confirmed === true;
    },
    /** Checks a login code; true when none is required. */
    async verify(id: ResponderId, code: string | undefined): Promise<boolean> {
      const record = await read(id);
      if (record === null || !record.confirmed) return true;
      return code !== undefined && check(id, record.secret, code);
    },
  };
}
export type Totp = ReturnType<typeof createTotp>;
