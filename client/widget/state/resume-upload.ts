// The resume blob: while a resume code exists, the conversation's token, last id, recent transcript
// and consent are sealed under the code's blob key and uploaded on a fixed beat, changed or not, and
// padded to a bucket: the server learns neither when anyone wrote nor how much. A reload within one
// beat of a message may resume without that message in the transcript (the conversation goes on).
import type { Category } from '../../shared/api-client.js';
import type { ResumeKeys } from '../../../crypto/index.js';
import type { WidgetApi } from './api.js';
import type { ChatMessage } from './conversation-view.js';
import type { Crypto } from './crypto.js';
import { RESUME_UPLOAD_MS, padResumeData } from './resume-padding.js';

/** Messages of the transcript kept in the blob at most. */
export const MAX_TRANSCRIPT = 40;

/** What the blob holds besides the transcript, read at each upload. */
export interface ResumeSnapshot {
  readonly lastId: string | null;
  readonly messages: readonly ChatMessage[];
  readonly consent: { readonly id: string; readonly expiresAt: number } | null;
  /** The running session's number; null without a session (nothing is uploaded then, unless `pending`). */
  readonly sessionNumber: number | null;
  /**
   * Before anyone answered the first message: the intake's own key and binding, so the code can
   * complete the first handshake later in another tab (sealed under the code like the rest).
   */
  readonly pending?: PendingIntake | null;
}

/** What completing the first handshake needs, as the blob keeps it (base64url). */
export interface PendingIntake {
  readonly epoch: number;
  readonly inbox: string;
  readonly pub: string;
  readonly sec: string;
  readonly binding: string;
}

export interface ResumeUpload {
  /** The resume code's keys; null while there is no code. */
  readonly keys: ResumeKeys | null;
  /** A code was made (or the conversation was resumed with one). */
  use(keys: ResumeKeys): void;
  /** Starts the fixed beat (once; nothing without keys or after stop). */
  schedule(): void;
  /** Seals and uploads now. */
  uploadNow(): Promise<void>;
  /** Stops the beat; `forget` also drops the keys (delete now). */
  stop(forget?: boolean): void;
}

export interface ResumeUploadDeps {
  readonly crypto: Crypto;
  readonly api: Pick<WidgetApi, 'putResume'>;
  readonly conversation: { readonly id: string; readonly token: string; readonly team: string; readonly category: Category };
  readonly keys: ResumeKeys | null;
  readonly snapshot: () => ResumeSnapshot;
  readonly timers?: Pick<typeof globalThis, 'setInterval' | 'clearInterval'>;
}

export function createResumeUpload(deps: ResumeUploadDeps): ResumeUpload {
  const c = deps.crypto;
  const timers = deps.timers ?? globalThis;
  const { id, token, team, category } = deps.conversation;
  let keys = deps.keys;
  let beat: ReturnType<typeof setInterval> | null = null;
  let stopped = false;

  const uploadNow = async () => {
    const snap = deps.snapshot();
    const pending = snap.sessionNumber === null ? (snap.pending ?? null) : null;
    if (keys === null || (snap.sessionNumber === null && pending === null)) return;
    const messages = snap.messages.slice(-MAX_TRANSCRIPT).map((m) => ({ from: m.from, text: m.text }));
    const data = (keep: number) => JSON.stringify({ token, category, lastId: snap.lastId, messages: keep === 0 ? [] : messages.slice(-keep), consent: snap.consent, ...(pending === null ? {} : { pending }) });
    const blob = c.sealResumeBlob(keys.blobKey, {
      conversationId: c.conversationIdFromString(id),
      team,
      // 0: no session yet, the blob carries the pending intake instead.
      lastSessionNumber: snap.sessionNumber ?? 0,
      data: padResumeData(data, messages.length),
    });
    await deps.api.putResume(id, token, c.toHex(c.resumeLookupHash(keys.lookupId)), c.toBase64url(blob));
  };

  return {
    get keys() {
      return keys;
    },
    use(next) {
      keys = next;
    },
    schedule() {
      if (keys === null || stopped || beat !== null) return;
      beat = timers.setInterval(() => void uploadNow().catch(() => undefined), RESUME_UPLOAD_MS);
    },
    uploadNow,
    stop(forget = false) {
      stopped = true;
      if (beat !== null) timers.clearInterval(beat);
      if (forget) keys = null;
    },
  };
}
