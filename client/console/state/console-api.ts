// The console's calls of the responder API, named for what the sub-stores need: one adapter from the
// API client to the ports each sub-store declares (session-, duty-, queue-, chats-, callbacks- and
// consents-store.ts), so the stores are tested against small in-memory fakes.
import type { createResponderApi } from '../../shared/api-client.js';
import type { KeyBundle } from '../crypto/keys.js';
import type { HandoverTarget, SealedCallback } from '../../../contract/rest.js';
import type { CallbackLists, CallbacksApi } from './callbacks-store.js';
import type { ChatsApi } from './chats-store.js';
import type { ConsentItem, ConsentsApi } from './consents-store.js';
import type { DutyApi } from './duty-store.js';
import type { QueueApi } from './queue-store.js';
import type { SessionApi } from './session-store.js';

export type ResponderApi = ReturnType<typeof createResponderApi>;

/** Every port of the console's sub-stores. */
export type ConsoleApi = SessionApi & DutyApi & QueueApi & ChatsApi & CallbacksApi & ConsentsApi;

export function createConsoleApi(api: ResponderApi): ConsoleApi {
  const base = '/api/v1/responder';
  return {
    loginParams: (name) => api.loginParams(name),
    login: (name, authKey, totp) => api.login(name, authKey, totp),
    keyBundle: () => api.call<KeyBundle>('GET', `${base}/keys`),
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
    handoverTargets: () => api.call<{ targets: HandoverTarget[] }>('GET', `${base}/handover-targets`),
    offerHandover: (id, team) => api.call<HandoverTarget>('POST', `${base}/conversations/${id}/handover`, { toTeam: team }),
    threat: (id) => api.threat(id),
    close: (id, outcome) => api.close(id, outcome),

    callbackLists: () => api.call<CallbackLists>('GET', `${base}/callbacks`),
    callbackClaim: (id) => api.call('POST', `${base}/callbacks/${id}/claim`),
    callbackSealed: (id) => api.call<SealedCallback>('GET', `${base}/callbacks/${id}/sealed`),
    callbackReseal: (id, copies) => api.call('PUT', `${base}/callbacks/${id}/sealed`, copies),
    callbackReveal: (id) => api.call<SealedCallback>('POST', `${base}/callbacks/${id}/reveal`),
    callbackDone: (id) => api.call('POST', `${base}/callbacks/${id}/done`),
    callbackNotReached: (id) => api.call('POST', `${base}/callbacks/${id}/not-reached`),

    consents: (cursor) => api.call<{ items: ConsentItem[]; next: string | null }>('GET', `${base}/consents${cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`}`),
    deleteConsent: (id) => api.call('DELETE', `${base}/consents/${id}`),
    consentCopied: (id) => api.call('POST', `${base}/audit/consent`, { consents: [id], action: 'copy' }),
  };
}
