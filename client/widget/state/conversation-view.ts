// What the visitor's chat screen renders of one conversation, and the two changes every step makes to
// it: a message added, a message's delivery state moved.
import type { Category } from '../../shared/api-client.js';
import { createStore, type Store } from './store.js';

export type DeliveryState = 'sending' | 'sent' | 'queued' | 'failed';

export interface ChatMessage {
  readonly key: string;
  readonly from: 'me' | 'them';
  readonly text: string;
  readonly state?: DeliveryState;
}

export interface ConversationView {
  readonly id: string;
  readonly category: Category;
  readonly team: string;
  readonly phase: 'waiting' | 'active' | 'closed' | 'erased';
  readonly staffed: boolean;
  /** Someone on duty has room for one more now (false: all busy; no time estimate is honest then). */
  readonly room: boolean;
  /** The visitor said "I am in danger right now": the waiting screen keeps the emergency numbers in view. */
  readonly danger: boolean;
  readonly queuePosition: number | null;
  readonly waitMedianMs: number | null;
  readonly responder: { readonly name: string; readonly team: string } | null;
  readonly safetyCode: string | null;
  readonly messages: readonly ChatMessage[];
  readonly typing: boolean;
  readonly connection: 'connecting' | 'online' | 'reconnecting';
  readonly reconnected: boolean;
  readonly resumeCode: string | null;
  readonly consent: { readonly id: string; readonly expiresAt: number } | null;
  readonly cryptoWarning: boolean;
  readonly closedBy: 'self' | 'peer' | null;
  readonly truncated: boolean;
  readonly resumed: boolean;
  /** Code of the last error the server answered a send with (a budget hit, the chat gone…); null after the next ack. */
  readonly sendError: string | null;
  /** A verified offer to hand the conversation over to another organisation, waiting for the young person's answer. */
  readonly handoverOffer: { readonly teamName: string; readonly orgName: string } | null;
  /** A consent given before a handover: it stays with the team it was shared with (and can be taken back). */
  readonly earlierConsent: { readonly id: string; readonly expiresAt: number; readonly orgName: string } | null;
  /** The conversation went to another organisation (accepted here): say so until the new responder writes. */
  readonly handedOverTo: { readonly teamName: string; readonly orgName: string } | null;
}

export type ViewStore = Store<ConversationView>;

/** A waiting conversation's view: what the visitor already wrote (or the resumed transcript) and nothing else. */
export function createConversationView(input: {
  id: string;
  category: Category;
  team: string;
  staffed: boolean;
  danger?: boolean;
  messages: readonly ChatMessage[];
  resumeCode: string | null;
  consent?: { id: string; expiresAt: number } | null;
  resumed?: boolean;
}): ViewStore {
  return createStore<ConversationView>({
    id: input.id,
    category: input.category,
    team: input.team,
    phase: 'waiting',
    staffed: input.staffed,
    room: input.staffed,
    danger: input.danger ?? false,
    queuePosition: null,
    waitMedianMs: null,
    responder: null,
    safetyCode: null,
    messages: input.messages,
    typing: false,
    connection: 'connecting',
    reconnected: false,
    resumeCode: input.resumeCode,
    consent: input.consent ?? null,
    cryptoWarning: false,
    closedBy: null,
    truncated: false,
    resumed: input.resumed ?? false,
    sendError: null,
    handoverOffer: null,
    earlierConsent: null,
    handedOverTo: null,
  });
}

/** Moves message `key` to delivery state `state`. */
export const setDelivery = (view: ViewStore, key: string, state: DeliveryState) =>
  view.set((v) => ({ messages: v.messages.map((m) => (m.key === key ? { ...m, state } : m)) }));

/** Appends `message` to the transcript. */
export const addMessage = (view: ViewStore, message: ChatMessage) => view.set((v) => ({ messages: [...v.messages, message] }));
