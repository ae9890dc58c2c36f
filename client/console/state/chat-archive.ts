// The responder's own copy of each chat in this tab, so a reload, a new login or an unlock after the
// idle lock brings the conversation back as it was: the session state (sealed by crypto/), the
// visitor's resume psk, the last log id, and the transcript. Everything is sealed under the key
// derived from the responder's own password (UnlockedKeys.snapshotKey); nothing is readable in the
// browser's storage. Kept in this tab's sessionStorage only; wiped on logout and when the lock times out.
// A new browser or device has no copy: there the protocol's fresh handshake applies.
import { fromBase64url, toBase64url, type SumoSodium } from '../../../crypto/api-sumo.js';

/** One line of a chat as the console shows it. */
export interface ArchivedLine {
  readonly key: string;
  readonly from: 'visitor' | 'responder' | 'system';
  readonly text: string;
  readonly at: number;
}

export interface ArchivedChat {
  /** The session state sealed by crypto's sealStateSnapshot (null: no live session). */
  readonly snap: string | null;
  /** The resume psk sealed by sealLocalSecret (null: none shared). */
  readonly psk: string | null;
  readonly lastId: string | null;
  readonly lines: readonly ArchivedLine[];
}

/** The sessionStorage prefix of every archived chat. */
export const ARCHIVE_PREFIX = 'utvag.console.session.';

const LABEL = 'utvag/v1/console-transcript';

export type ChatArchive = ReturnType<typeof createChatArchive>;

/**
 * An archive over `storage` sealed with `key` (32 bytes, the responder's snapshot key). Transcripts
 * are XChaCha20-Poly1305 with the label and the conversation id as associated data, so a blob cannot
 * be moved to another chat. Storage errors (full, disabled) leave the chat working without a copy.
 */
export function createChatArchive(deps: { storage: Storage; sodium: SumoSodium; key: Uint8Array }) {
  const { storage, sodium, key } = deps;
  const ad = (id: string) => new TextEncoder().encode(`${LABEL}:${id}`);

  const seal = (id: string, lines: readonly ArchivedLine[]): string => {
    const nonce = crypto.getRandomValues(new Uint8Array(24));
    const plain = new TextEncoder().encode(JSON.stringify(lines));
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad(id), null, nonce, key);
    plain.fill(0);
    const out = new Uint8Array(24 + ct.length);
    out.set(nonce);
    out.set(ct, 24);
    return toBase64url(out);
  };
  const open = (id: string, sealed: string): ArchivedLine[] => {
    const wire = fromBase64url(sealed);
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wire.subarray(24), ad(id), wire.subarray(0, 24), key);
    const lines = JSON.parse(new TextDecoder().decode(plain)) as ArchivedLine[];
    plain.fill(0);
    return lines;
  };

  return {
    save(id: string, chat: ArchivedChat): void {
      try {
        storage.setItem(ARCHIVE_PREFIX + id, JSON.stringify({ snap: chat.snap, psk: chat.psk, lastId: chat.lastId, lines: seal(id, chat.lines) }));
      } catch {
        // Storage full or unavailable: the chat still works in this tab, it just will not survive a reload.
      }
    },
    /** The archived chat, or null when there is none or it does not open (another responder's, or changed). */
    load(id: string): ArchivedChat | null {
      const stored = storage.getItem(ARCHIVE_PREFIX + id);
      if (stored === null) return null;
      try {
        const parsed = JSON.parse(stored) as { snap: string | null; psk: string | null; lastId: string | null; lines: string };
        return { snap: parsed.snap, psk: parsed.psk, lastId: parsed.lastId, lines: open(id, parsed.lines) };
      } catch {
        return null;
      }
    },
    remove(id: string): void {
      storage.removeItem(ARCHIVE_PREFIX + id);
    },
  };
}

/** Removes every archived chat of this tab (logout, lock timeout, session ended). */
export function wipeChatArchive(storage: Storage): void {
  for (const k of Object.keys(storage)) if (k.startsWith(ARCHIVE_PREFIX)) storage.removeItem(k);
}
