// Starting a visitor conversation: verify the team's keys against the pinned root, seal the first
// message to the team and open the conversation (or continue one from a resume code, or send a
// callback request). Once open, conversation-lifecycle.ts runs it: handshake, messages over the
// WebSocket with delivery states and loss-free reconnection, resume code, consent and delete-now.
import type { Category } from '../../shared/api-client.js';
import { randomId, startConversation, type ConversationDeps } from './conversation-lifecycle.js';
import { verifiedTeam } from './verified-team.js';
import type { PendingIntake } from './resume-upload.js';
import type { PendingVisitor } from '../../../crypto/index.js';

export type { ChatMessage, ConversationView, DeliveryState } from './conversation-view.js';
export type { Conversation, ConversationDeps } from './conversation-lifecycle.js';
export { verifiedTeam } from './verified-team.js';

const fromUtf8 = new TextDecoder();

/** Opens a new chat or parent conversation with `text` as its sealed first message. */
export async function openConversation(deps: ConversationDeps, input: { category: 'chat' | 'parent'; text: string; danger: boolean }) {
  const c = deps.crypto;
  const status = await deps.api.status(input.category, deps.source, input.danger);
  const { anchor, teamCert } = await verifiedTeam(deps, status.team);
  const { wire, pending } = c.createIntake({ teamCert, category: input.category, text: input.text });
  const cid = randomId(c);
  const opened = await deps.api.open(
    {
      id: c.conversationIdToString(pending.conversationId),
      category: input.category,
      language: deps.language,
      source: deps.source,
      danger: input.danger,
      intake: { cid, kind: 'intake', body: c.toBase64url(wire) },
    },
    deps.solve,
  );
  // The resume code from the first message on: a closed tab, a reload or a message left while nobody
  // is there can be continued (and its answer read) with it.
  const { code, keys } = c.generateResumeCode();
  return startConversation(deps, {
    id: opened.id,
    token: opened.token,
    category: input.category,
    team: status.team,
    staffed: opened.staffed,
    danger: input.danger,
    anchor,
    pending,
    messages: [{ key: cid, from: 'me', text: input.text, state: 'sending' }],
    lastId: null,
    resumeKeys: keys,
    resumeCode: code,
  });
}

/** Continues a conversation from a resume code: fetch and open the blob, ask for a fresh handshake. */
export async function resumeConversation(deps: ConversationDeps, code: string) {
  const c = deps.crypto;
  const keys = c.parseResumeCode(code);
  const lookup = c.toHex(c.resumeLookupHash(keys.lookupId));
  const stored = await deps.api.getResume(lookup);
  const blob = c.openResumeBlob(keys.blobKey, c.fromBase64url(stored.blob));
  const data = JSON.parse(fromUtf8.decode(blob.data)) as {
    token: string;
    category: Category;
    lastId: string | null;
    messages: Array<{ from: 'me' | 'them'; text: string }>;
    consent: { id: string; expiresAt: number } | null;
    pending?: PendingIntake;
  };
  const { anchor, teamCert } = await verifiedTeam(deps, blob.team);
  const id = c.conversationIdToString(blob.conversationId);
  const transcript = data.messages.map((m, i) => ({ key: `r${i}`, from: m.from, text: m.text, state: m.from === 'me' ? ('sent' as const) : undefined }));
  if (blob.lastSessionNumber === 0 && data.pending !== undefined) {
    // Nobody had answered when the code was last sealed: complete the first handshake from the log
    // (replayed from the start) with the intake's own key, then read what was answered meanwhile.
    const p = data.pending;
    const pending: PendingVisitor = {
      conversationId: blob.conversationId,
      team: blob.team,
      epoch: p.epoch,
      teamInboxPublicKey: c.fromBase64url(p.inbox) as PendingVisitor['teamInboxPublicKey'],
      sessionNumber: 1,
      visitorKeyPair: { publicKey: c.fromBase64url(p.pub) as PendingVisitor['visitorKeyPair']['publicKey'], secretKey: c.fromBase64url(p.sec) as PendingVisitor['visitorKeyPair']['secretKey'] },
      binding: c.fromBase64url(p.binding),
      psk: null,
      expectedResponderCertHash: null,
    };
    return startConversation(deps, { id, token: data.token, category: data.category, team: blob.team, staffed: true, anchor, pending, messages: transcript, lastId: null, resumeKeys: keys, resumeCode: code.toUpperCase(), consent: data.consent, restored: true });
  }
  const { wire, pending } = c.createSessionRequest({
    mode: 'resume',
    conversationId: blob.conversationId,
    team: blob.team,
    teamCert,
    sessionNumber: blob.lastSessionNumber + 1,
    psk: keys.psk,
  });
  await deps.api.post(id, data.token, { cid: randomId(c), kind: 'resume', body: c.toBase64url(wire) });
  const conversation = startConversation(deps, {
    id,
    token: data.token,
    category: data.category,
    team: blob.team,
    staffed: true,
    anchor,
    pending,
    messages: transcript,
    lastId: data.lastId,
    resumeKeys: keys,
    resumeCode: code.toUpperCase(),
    consent: data.consent,
    resumed: true,
  });
  return conversation;
}

/** Sends a callback request sealed to the callback team; returns what the done screen needs. */
export async function requestCallback(
  deps: Omit<ConversationDeps, 'wsUrl'>,
  details: { phone: string; timeWindow: string; language: string; note: string; verificationWord: string },
) {
  const c = deps.crypto;
  const status = await deps.api.status('callback', deps.source);
  const { teamCert } = await verifiedTeam(deps, status.team);
  const { wire, conversationId } = c.createCallbackRequest({ teamCert, callback: details });
  const opened = await deps.api.open(
    {
      id: c.conversationIdToString(conversationId),
      category: 'callback',
      language: deps.language,
      source: deps.source,
      intake: { cid: randomId(c), kind: 'intake', body: c.toBase64url(wire) },
    },
    deps.solve,
  );
  return { id: opened.id, token: opened.token, expiresAt: opened.expiresAt };
}
