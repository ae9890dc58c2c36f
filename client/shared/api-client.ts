// Typed client of the HTTP API (contract/rest.ts, served as /api/openapi.json), used by the widget,
// the console, the integration tests and the load generator. Transport injected: fetch, and a cookie
// jar outside browsers. Types only from the contract: no zod reaches a browser bundle.

import type { Category } from '../../contract/categories.js';
import { ApiRequestError, type ErrorCode } from '../../contract/errors.js';
import type { Envelope, LogEntry } from '../../contract/messages.js';
import { createAdminApi, type SessionCall } from './admin-api.js';
import type {
  Appended,
  Assigned,
  CallbackLists,
  CallbackView,
  Colleagues,
  ConsentAudit,
  ConsentPage,
  ConversationView,
  Duty,
  Enrol,
  Enrolled,
  HandoverOffer,
  HandoverTarget,
  HandoverTargets,
  InvitationView,
  DutyStatus,
  LoggedIn,
  LoginParams,
  Messages,
  Note,
  NoteBody,
  Notes,
  OpenConversation,
  Opened,
  PowChallenge,
  Queue,
  Reseal,
  ResponderKeys,
  ResponderView,
  SealedCallback,
  Status,
  TotpConfirm,
  Transfer,
} from '../../contract/rest.js';

/** The contract's words this client speaks in, for its callers. */
export type { Category } from '../../contract/categories.js';
export type { Envelope, EnvelopeKind, LogEntry } from '../../contract/messages.js';
export type { ConversationView, Opened, QueueItem } from '../../contract/rest.js';

export interface CookieJar {
  get(): string | undefined;
  set(setCookie: string): void;
}

export interface ApiOptions {
  /** Origin of the service, e.g. "" in the browser (same origin) or "http://127.0.0.1:8080". */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Outside a browser: holds the responder session cookie. */
  readonly cookies?: CookieJar;
}

/** A jar keeping one cookie (the session) for Node clients. */
export function createCookieJar(): CookieJar {
  let cookie: string | undefined;
  return {
    get: () => cookie,
    set: (header) => {
      const pair = header.split(';')[0]?.trim();
      if (pair === undefined || pair === '') return;
      cookie = pair.endsWith('=') ? undefined : pair;
    },
  };
}

function createRequester(options: ApiOptions) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    const cookie = options.cookies?.get();
    if (cookie !== undefined) h.cookie = cookie;
    const response = await doFetch(`${options.baseUrl}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) options.cookies?.set(setCookie);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as { error?: { code?: ErrorCode; message?: string } } | null)?.error;
      const retry = response.headers.get('retry-after');
      throw new ApiRequestError(response.status, error?.code ?? 'unknown', error?.message ?? response.statusText, retry === null ? null : Number(retry));
    }
    return parsed as T;
  };
}

/** Solves a proof-of-work challenge (in a Worker in the browser); returns the 8-byte nonce. */
export type PowSolver = (challenge: Uint8Array, difficulty: number) => Promise<Uint8Array>;

const b64 = {
  encode(bytes: Uint8Array): string {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text: string): Uint8Array {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  },
};
export { b64 as base64url };

export function createVisitorApi(options: ApiOptions) {
  const request = createRequester(options);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    status: (category: Category) => request<Status>('GET', `/api/v1/status?category=${category}`),
    /** Fetches a challenge, solves it, opens the conversation. */
    async open(
      input: Omit<OpenConversation, 'pow'>,
      solve: PowSolver,
    ): Promise<Opened> {
      const challenge = await request<PowChallenge>('POST', '/api/v1/pow');
      const nonce = await solve(b64.decode(challenge.challenge), challenge.difficulty);
      return request<Opened>('POST', '/api/v1/conversations', { ...input, pow: { challenge: challenge.challenge, nonce: b64.encode(nonce) } });
    },
    get: (id: string, token: string) => request<ConversationView>('GET', `/api/v1/conversations/${id}`, undefined, auth(token)),
    messages: (id: string, token: string, after: string | null = null) =>
      request<Messages>('GET', `/api/v1/conversations/${id}/messages${after === null ? '' : `?after=${after}`}`, undefined, auth(token)),
    post: (id: string, token: string, envelope: Envelope) =>
      request<Appended>('POST', `/api/v1/conversations/${id}/messages`, envelope, auth(token)),
    close: (id: string, token: string) => request<ConversationView>('POST', `/api/v1/conversations/${id}/close`, undefined, auth(token)),
    erase: (id: string, token: string) => request<void>('DELETE', `/api/v1/conversations/${id}`, undefined, auth(token)),
  };
}

export function createResponderApi(options: ApiOptions) {
  const request = createRequester(options);
  let csrf = '';
  const unsafe = () => ({ 'x-csrf-token': csrf });
  const call: SessionCall = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
    request<T>(method, path, body, method === 'GET' ? {} : unsafe());
  return {
    loginParams: (login: string) => request<LoginParams>('POST', '/api/v1/responder/login/params', { login }),
    /** Logs in with the auth key derived in the browser; keeps the CSRF token for later calls. */
    async login(login: string, authKey: Uint8Array, totp?: string) {
      const result = await request<LoggedIn>(
        'POST',
        '/api/v1/responder/login',
        { login, authKey: b64.encode(authKey), ...(totp === undefined ? {} : { totp }) },
      );
      csrf = result.csrfToken;
      return result.responder;
    },
    logout: () => request<void>('POST', '/api/v1/responder/logout', undefined, unsafe()),
    me: () => request<ResponderView>('GET', '/api/v1/responder/me'),
    duty: (team: string, onDuty: boolean, capacity?: number) =>
      request<void>('POST', '/api/v1/responder/duty', { team, onDuty, ...(capacity === undefined ? {} : { capacity }) } satisfies Duty, unsafe()),
    heartbeat: () => request<void>('POST', '/api/v1/responder/heartbeat', undefined, unsafe()),
    queue: () => request<Queue>('GET', '/api/v1/responder/queue'),
    claim: (id: string) => request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/claim`, undefined, unsafe()),
    messages: (id: string, after: string | null = null) =>
      request<Messages>('GET', `/api/v1/responder/conversations/${id}/messages${after === null ? '' : `?after=${after}`}`),
    post: (id: string, envelope: Envelope) =>
      request<Appended>('POST', `/api/v1/responder/conversations/${id}/messages`, envelope, unsafe()),
    transfer: (id: string, to: Transfer) =>
      request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/transfer`, to, unsafe()),
    close: (id: string, outcome: string | null = null) =>
      request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/close`, { outcome }, unsafe()),
    /** Own duty per team, capacity, load and the heartbeat interval. */
    dutyStatus: () => request<DutyStatus>('GET', '/api/v1/responder/duty'),
    /** Open conversations assigned to me. */
    assigned: () => request<Assigned>('GET', '/api/v1/responder/assigned'),
    /** Teams and colleagues with their certificates (transfer targets). */
    colleagues: () => request<Colleagues>('GET', '/api/v1/responder/colleagues'),
    /** Hands a conversation over to the specialist team ("under threat"). */
    /** Teams of other organisations an overflow agreement lets me hand a conversation to. */
    handoverTargets: () => request<HandoverTargets>('GET', '/api/v1/responder/handover-targets'),
    /** Offers a conversation to another organisation's team; the young person accepts or declines. */
    offerHandover: (id: string, offer: HandoverOffer) => request<HandoverTarget>('POST', `/api/v1/responder/conversations/${id}/handover`, offer, unsafe()),
    threat: (id: string) => request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/threat`, undefined, unsafe()),
    callbacks: () => request<CallbackLists>('GET', '/api/v1/responder/callbacks'),
    callbackClaim: (id: string) => request<CallbackView>('POST', `/api/v1/responder/callbacks/${id}/claim`, undefined, unsafe()),
    callbackSealed: (id: string) => request<SealedCallback>('GET', `/api/v1/responder/callbacks/${id}/sealed`),
    callbackReseal: (id: string, copies: Reseal) => request<void>('PUT', `/api/v1/responder/callbacks/${id}/sealed`, copies, unsafe()),
    callbackReveal: (id: string) => request<SealedCallback>('POST', `/api/v1/responder/callbacks/${id}/reveal`, undefined, unsafe()),
    callbackDone: (id: string) => request<CallbackView>('POST', `/api/v1/responder/callbacks/${id}/done`, undefined, unsafe()),
    callbackNotReached: (id: string) => request<CallbackView>('POST', `/api/v1/responder/callbacks/${id}/not-reached`, undefined, unsafe()),
    /** Certificates, wrapped private keys and sealed team inbox keys, to unlock in the browser. */
    keys: () => request<ResponderKeys>('GET', '/api/v1/responder/keys'),
    /** A page of the live consents of my teams (each handed out is audited as viewed). */
    consents: (cursor: string | null = null) =>
      request<ConsentPage>('GET', `/api/v1/responder/consents${cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`}`),
    deleteConsent: (id: string) => request<void>('DELETE', `/api/v1/responder/consents/${id}`, undefined, unsafe()),
    auditConsents: (audit: ConsentAudit) => request<void>('POST', '/api/v1/responder/audit/consent', audit, unsafe()),
    notes: (id: string) => request<Notes>('GET', `/api/v1/responder/conversations/${id}/notes`),
    addNote: (id: string, note: NoteBody) => request<Note>('POST', `/api/v1/responder/conversations/${id}/notes`, note, unsafe()),
    /** Enrolment from an invitation link (before any session): what it is for, the new keys, the authenticator code. */
    invitation: (token: string) => request<InvitationView>('GET', `/api/v1/enrol/${token}`),
    enrol: (token: string, enrolment: Enrol) => call<Enrolled>('POST', `/api/v1/enrol/${token}`, enrolment),
    confirmTotp: (token: string, body: TotpConfirm) => call<void>('POST', `/api/v1/enrol/${token}/totp`, body),
    /** The administration routes (admins and supervisors). */
    admin: createAdminApi(call),
    /** Any other call of the session, for tests that probe routes; the console calls only typed functions. Unsafe methods carry the CSRF token. */
    call,
  };
}
