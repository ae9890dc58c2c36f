// Typed client of the HTTP API (see /api/openapi.json), used by the widget, the console, the
// integration tests and the load generator. Transport injected: fetch, and a cookie jar outside browsers.

export type Category = 'chat' | 'callback' | 'parent';
export type EnvelopeKind = 'intake' | 'handshake' | 'message' | 'close' | 'transfer' | 'resume';

export interface Envelope {
  readonly cid: string;
  readonly kind: EnvelopeKind;
  readonly body: string;
}

export interface LogEntry extends Envelope {
  readonly id: string;
  readonly from: 'visitor' | 'responder';
  readonly session: number;
}

export interface ConversationView {
  readonly id: string;
  readonly category: Category;
  readonly team: string;
  readonly status: 'waiting' | 'active' | 'closed';
  readonly session: number;
  readonly queuePosition: number | null;
  readonly danger: boolean;
  /** While waiting (visitor view): someone is on duty in its team now. */
  readonly staffed?: boolean;
  /** While waiting (visitor view): someone on duty has room for one more conversation now. */
  readonly room?: boolean;
}

export interface Opened {
  readonly id: string;
  readonly token: string;
  readonly team: string;
  readonly staffed: boolean;
  readonly expiresAt: number;
}

export interface QueueItem {
  readonly id: string;
  readonly team: string;
  readonly category: Category;
  readonly language: string;
  readonly source: string;
  readonly danger: boolean;
  readonly waitingMs: number;
  readonly intake: LogEntry | null;
  /** Handshake sessions so far: 0 for a new conversation, more after a transfer to the team. */
  readonly session?: number;
}

/** An error answer of the API: its stable code, for the UI to turn into a sentence. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

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
      const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
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
    status: (category: Category) =>
      request<{ category: Category; team: string; staffed: boolean; onDuty: number; waiting: number }>('GET', `/api/v1/status?category=${category}`),
    /** Fetches a challenge, solves it, opens the conversation. */
    async open(
      input: { id?: string; category: Category; language: string; source?: string; danger?: boolean; intake?: Envelope },
      solve: PowSolver,
    ): Promise<Opened> {
      const challenge = await request<{ challenge: string; difficulty: number }>('POST', '/api/v1/pow');
      const nonce = await solve(b64.decode(challenge.challenge), challenge.difficulty);
      return request<Opened>('POST', '/api/v1/conversations', { ...input, pow: { challenge: challenge.challenge, nonce: b64.encode(nonce) } });
    },
    get: (id: string, token: string) => request<ConversationView>('GET', `/api/v1/conversations/${id}`, undefined, auth(token)),
    messages: (id: string, token: string, after: string | null = null) =>
      request<{ messages: LogEntry[] }>('GET', `/api/v1/conversations/${id}/messages${after === null ? '' : `?after=${after}`}`, undefined, auth(token)),
    post: (id: string, token: string, envelope: Envelope) =>
      request<{ id: string; duplicate: boolean }>('POST', `/api/v1/conversations/${id}/messages`, envelope, auth(token)),
    close: (id: string, token: string) => request<ConversationView>('POST', `/api/v1/conversations/${id}/close`, undefined, auth(token)),
    erase: (id: string, token: string) => request<void>('DELETE', `/api/v1/conversations/${id}`, undefined, auth(token)),
  };
}

export function createResponderApi(options: ApiOptions) {
  const request = createRequester(options);
  let csrf = '';
  const unsafe = () => ({ 'x-csrf-token': csrf });
  return {
    loginParams: (login: string) => request<{ salt: string; opslimit: number; memlimit: number }>('POST', '/api/v1/responder/login/params', { login }),
    /** Logs in with the auth key derived in the browser; keeps the CSRF token for later calls. */
    async login(login: string, authKey: Uint8Array, totp?: string) {
      const result = await request<{ responder: { id: string; displayName: string; teams: string[]; roles: string[] }; csrfToken: string }>(
        'POST',
        '/api/v1/responder/login',
        { login, authKey: b64.encode(authKey), ...(totp === undefined ? {} : { totp }) },
      );
      csrf = result.csrfToken;
      return result.responder;
    },
    logout: () => request<void>('POST', '/api/v1/responder/logout', undefined, unsafe()),
    me: () => request<{ id: string; displayName: string; teams: string[]; roles: string[] }>('GET', '/api/v1/responder/me'),
    duty: (team: string, onDuty: boolean) => request<void>('POST', '/api/v1/responder/duty', { team, onDuty }, unsafe()),
    heartbeat: () => request<void>('POST', '/api/v1/responder/heartbeat', undefined, unsafe()),
    queue: () => request<{ items: QueueItem[] }>('GET', '/api/v1/responder/queue'),
    claim: (id: string) => request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/claim`, undefined, unsafe()),
    messages: (id: string, after: string | null = null) =>
      request<{ messages: LogEntry[] }>('GET', `/api/v1/responder/conversations/${id}/messages${after === null ? '' : `?after=${after}`}`),
    post: (id: string, envelope: Envelope) =>
      request<{ id: string; duplicate: boolean }>('POST', `/api/v1/responder/conversations/${id}/messages`, envelope, unsafe()),
    transfer: (id: string, to: { toResponder: string } | { toTeam: string }) =>
      request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/transfer`, to, unsafe()),
    close: (id: string, outcome: string | null = null) =>
      request<ConversationView>('POST', `/api/v1/responder/conversations/${id}/close`, { outcome }, unsafe()),
    /** Any other call of the session (console, admin routes); unsafe methods carry the CSRF token. */
    call: <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      request<T>(method, path, body, method === 'GET' ? {} : unsafe()),
  };
}
