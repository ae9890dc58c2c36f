// Consents the young people gave to be contacted again: read a page at a time (the server audits each
// one it hands out), opened with the team inbox keys field by field, deleted, and copying audited.
import type { Consent } from '../../../contract/rest.js';
import { isCryptoError } from '../../../crypto/api-sumo.js';
import { openSealedConsent, type InboxKeys } from './open-sealed.js';
import type { Guard, Slice } from './ports.js';

/** Pages of the consent list read at most (CONSENT_PAGE_SIZE each on the server). */
export const MAX_CONSENT_PAGES = 20;

export interface ConsentView {
  readonly id: string;
  readonly team: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly retentionDays: number;
  /** The decrypted identity, field by field (labels come from the catalogues), or null when it does not open. */
  readonly identity: ReadonlyArray<{ readonly field: string; readonly value: string }> | null;
  readonly version: string | null;
}

export interface ConsentsState {
  readonly consents: readonly ConsentView[];
}

export type { Consent } from '../../../contract/rest.js';

export interface ConsentsApi {
  /** One page of the list; `next` null on the last. */
  consents(cursor: string | null): Promise<{ items: readonly Consent[]; next: string | null }>;
  deleteConsent(id: string): Promise<unknown>;
  /** Audits that the responder copied consent `id`. */
  consentCopied(id: string): Promise<unknown>;
}

export interface ConsentsDeps {
  readonly state: Slice<ConsentsState>;
  readonly api: ConsentsApi;
  /** The responder's team inbox keys; null while locked. */
  readonly inbox: () => InboxKeys | null;
  readonly guard: Guard;
}

/** The fields of a sealed identity the screen shows; the widget seals {v, conversation, name, phone, retentionDays}. */
function identityOf(text: string): Pick<ConsentView, 'identity' | 'version'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { identity: [{ field: 'text', value: text }], version: null };
  }
  if (typeof parsed !== 'object' || parsed === null) return { identity: [{ field: 'text', value: text }], version: null };
  const fields = parsed as Record<string, unknown>;
  const v = fields.v ?? fields.consentVersion;
  return {
    version: typeof v === 'string' || typeof v === 'number' ? String(v) : null,
    identity: Object.entries(fields)
      .filter(([k]) => !['v', 'consentVersion', 'conversation', 'retentionDays'].includes(k))
      .map(([k, value]) => ({ field: k, value: String(value) })),
  };
}

export type ConsentsStore = ReturnType<typeof createConsentsStore>;

export function createConsentsStore(deps: ConsentsDeps) {
  const { state, api, guard } = deps;

  const load = async () => {
    const items: Consent[] = [];
    for (let cursor: string | null = null, pages = 0; pages < MAX_CONSENT_PAGES; pages += 1) {
      const page: { items: readonly Consent[]; next: string | null } = await api.consents(cursor);
      items.push(...page.items);
      cursor = page.next;
      if (cursor === null) break;
    }
    const inbox = deps.inbox();
    const views: ConsentView[] = items.map((i) => {
      let opened: Pick<ConsentView, 'identity' | 'version'> = { identity: null, version: null };
      if (inbox !== null) {
        try {
          opened = identityOf(openSealedConsent(inbox, i.sealed).text);
        } catch (error) {
          if (!isCryptoError(error)) throw error;
        }
      }
      return { id: i.id, team: i.team, createdAt: i.createdAt, expiresAt: i.expiresAt, retentionDays: i.retentionDays, ...opened };
    });
    state.set({ consents: views });
  };

  return {
    /** Reads every page (at most MAX_CONSENT_PAGES); throws the API's error (the caller guards). */
    load,

    async remove(id: string) {
      await guard(async () => {
        await api.deleteConsent(id);
        state.set({ consents: state.get().consents.filter((c) => c.id !== id) });
      });
    },

    async copied(id: string) {
      await guard(() => api.consentCopied(id));
    },

    /** The lock or the end of the session: identities leave memory. */
    clear() {
      state.set({ consents: [] });
    },
  };
}
