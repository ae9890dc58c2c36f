// The one place the console opens a sealed intake or callback request: picks the team inbox key of the
// envelope's team and epoch, decrypts, and checks that the conversation id the visitor sealed inside is
// the conversation the server filed it under (a server cannot splice one visitor's intake into
// another's chat, queue card or callback row).
import {
  CryptoError,
  CryptoErrorCode,
  conversationIdToString,
  fromBase64url,
  openCallbackRequest,
  openIntake,
  parseIntakeEnvelope,
  type OpenedCallback,
  type OpenedIntake,
  type TeamInboxKey,
} from '../../../crypto/api-sumo.js';

/** The team inbox keys a responder holds, by "team:epoch". */
export type InboxKeys = ReadonlyMap<string, TeamInboxKey>;

function inboxFor(inbox: InboxKeys, wire: Uint8Array, team: string | null): TeamInboxKey {
  const outer = parseIntakeEnvelope(wire);
  if (team !== null && outer.team !== team) throw new CryptoError(CryptoErrorCode.WrongTeam, 'sealed to another team than the chat');
  const key = inbox.get(`${outer.team}:${outer.epoch}`);
  if (key === undefined) throw new CryptoError(CryptoErrorCode.WrongEpoch, 'no inbox key for this team and epoch');
  return key;
}

function checkConversation(opened: Pick<OpenedIntake, 'conversationId'>, conversation: string): void {
  // Ids are public; their canonical base64url form compares as well as the bytes.
  if (conversationIdToString(opened.conversationId) !== conversation) throw new CryptoError(CryptoErrorCode.WrongConversation, 'sealed for another conversation');
}

/**
 * Opens the intake `body` (base64url) of conversation `conversation`, sealed to `team` (null: any team
 * this responder holds a key of). Throws CryptoError: WrongConversation when the visitor sealed it for
 * another conversation, WrongTeam/WrongEpoch without a matching key, Tampered/Malformed otherwise.
 */
export function openSealedIntake(inbox: InboxKeys, conversation: string, body: string, team: string | null = null): OpenedIntake {
  const wire = fromBase64url(body);
  const opened = openIntake(wire, inboxFor(inbox, wire, team));
  checkConversation(opened, conversation);
  return opened;
}

/** The same for a callback request (phone, time window, verification word); same errors. */
export function openSealedCallback(inbox: InboxKeys, conversation: string, body: string): OpenedCallback {
  const wire = fromBase64url(body);
  const opened = openCallbackRequest(wire, inboxFor(inbox, wire, null));
  checkConversation(opened, conversation);
  return opened;
}

/** Opens a sealed consent (its own id, not a conversation's): the inbox key check only. */
export function openSealedConsent(inbox: InboxKeys, body: string): OpenedIntake {
  const wire = fromBase64url(body);
  return openIntake(wire, inboxFor(inbox, wire, null));
}
