// The console's calls of the responder API, named for what the sub-stores need: one adapter from the
// API client to the ports each sub-store declares (session-, duty-, queue-, chats-, callbacks- and
// consents-store.ts), so the stores are tested against small in-memory fakes.
import type { createResponderApi } from '../../shared/api-client.js';
import type { CallbacksApi } from './callbacks-store.js';
import type { ChatsApi } from './chats-store.js';
import type { ConsentsApi } from './consents-store.js';
import type { DutyApi } from './duty-store.js';
import type { QueueApi } from './queue-store.js';
import type { SessionApi } from './session-store.js';

export type ResponderApi = ReturnType<typeof createResponderApi>;

/** Every port of the console's sub-stores. */
export type ConsoleApi = SessionApi & DutyApi & QueueApi & ChatsApi & CallbacksApi & ConsentsApi;

export function createConsoleApi(api: ResponderApi): ConsoleApi {
  return {
    loginParams: (name) => api.loginParams(name),
    login: (name, authKey, totp) => api.login(name, authKey, totp),
    keyBundle: () => api.keys(),
    me: () => api.me(),
    logout: () => api.logout(),

    duty: () => api.dutyStatus(),
    setDuty: (team, onDuty, capacity) => api.duty(team, onDuty, capacity),
    heartbeat: () => api.heartbeat(),

    queue: () => api.queue(),

    claim: (id) => api.claim(id),
    assigned: () => api.assigned(),
    colleagues: () => api.colleagues(),
    transfer: (id, to) => api.transfer(id, to),
    handoverTargets: () => api.handoverTargets(),
    offerHandover: (id, team) => api.offerHandover(id, { toTeam: team }),
    threat: (id) => api.threat(id),
    close: (id, outcome) => api.close(id, outcome),

    callbackLists: () => api.callbacks(),
    callbackClaim: (id) => api.callbackClaim(id),
    callbackSealed: (id) => api.callbackSealed(id),
    callbackReseal: (id, copies) => api.callbackReseal(id, copies),
    callbackReveal: (id) => api.callbackReveal(id),
    callbackDone: (id) => api.callbackDone(id),
    callbackNotReached: (id) => api.callbackNotReached(id),

    consents: (cursor) => api.consents(cursor),
    deleteConsent: (id) => api.deleteConsent(id),
    consentCopied: (id) => api.auditConsents({ consents: [id], action: 'copy' }),
  };
}
