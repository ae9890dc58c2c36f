// Responder sessions: an HttpOnly, SameSite=Strict cookie holding a random id (the store keeps its
// hash), plus a CSRF token that every state-changing request repeats in X-CSRF-Token.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { RandomBytes, Clock } from '../clock.js';
import { hashToken, newToken, tokenMatches } from '../conversations/ids.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { AppEnv } from '../routes/common.js';
import type { ResponderRecord, Store } from '../store/ports.js';
import { TOKEN } from '../../contract/ids.js';

export const SESSION_COOKIE = 'utvag_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ResponderSessions {
  /** Starts a session, sets the cookie and returns the CSRF token for the client to keep. */
  start(c: Context, responder: ResponderRecord): Promise<string>;
  end(c: Context): Promise<void>;
  /** Resolves the session of a request (also used by the WebSocket upgrade); null when none. */
  resolve(cookieValue: string | undefined): Promise<{ responder: ResponderRecord; hash: string } | null>;
  /** Middleware: requires a live session of an active responder, and CSRF on unsafe methods. */
  required(): MiddlewareHandler<AppEnv>;
}

export function createResponderSessions(deps: {
  store: Store;
  clock: Clock;
  random: RandomBytes;
  idleMs: number;
  secureCookies: boolean;
}): ResponderSessions {
  const { store } = deps;
  const resolve: ResponderSessions['resolve'] = async (cookieValue) => {
    if (cookieValue === undefined || !TOKEN.test(cookieValue)) return null;
    const hash = hashToken(cookieValue);
    const session = await store.sessions.get(hash, deps.idleMs);
    if (session === null) return null;
    const responder = await store.staff.getResponder(session.responder);
    if (responder === null || !responder.active) return null;
    return { responder, hash };
  };
  return {
    async start(c, responder) {
      const id = newToken(deps.random);
      const csrf = newToken(deps.random);
      await store.sessions.create(hashToken(id), { responder: responder.id, csrfHash: hashToken(csrf), createdAt: deps.clock.now() }, deps.idleMs);
      setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies, path: '/' });
      return csrf;
    },
    async end(c) {
      const value = getCookie(c, SESSION_COOKIE);
      if (value !== undefined) await store.sessions.delete(hashToken(value));
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies });
    },
    resolve,
    required() {
      return async function responderSession(c, next) {
        const cookie = getCookie(c, SESSION_COOKIE);
        const resolved = await resolve(cookie);
        if (resolved === null) throw new ApiError(ErrorCode.Unauthorized);
        const session = await store.sessions.get(resolved.hash, deps.idleMs);
        if (session === null) throw new ApiError(ErrorCode.Unauthorized);
        if (!SAFE_METHODS.has(c.req.method) && !tokenMatches(c.req.header('x-csrf-token') ?? '', session.csrfHash)) {
          throw new ApiError(ErrorCode.CsrfFailed);
        }
        c.set('responder', resolved.responder);
        c.set('session', session);
        c.set('sessionHash', resolved.hash);
        await next();
      };
    },
  };
}
