// The visitor API as the widget uses it: the shared typed client plus the widget's own endpoints
// (key directory, wait estimate, resume blobs, consent, quick exit). Base URL is the service origin.
import type { ErrorCode } from '../../../contract/errors.js';
import { ApiRequestError } from '../../../contract/errors.js';
import { createVisitorApi, type Category } from '../../shared/api-client.js';
import type { HandoverAnswer } from '../../../contract/rest.js';
import type { TeamNotice } from '../notice.js';

export interface TeamBundle {
  readonly orgCert: string;
  readonly revocationList: string;
  /** The root's revocation of organisation certificates, when one was published. */
  readonly orgRevocation?: string;
  readonly team: string;
  readonly epoch: number;
  readonly teamCert: string;
}

export type WidgetApi = ReturnType<typeof createWidgetApi>;

export function createWidgetApi(baseUrl: string, doFetch: typeof fetch = globalThis.fetch.bind(globalThis)) {
  const visitor = createVisitorApi({ baseUrl, fetch: doFetch });
  async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await doFetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    if (res.status === 204) return undefined as T;
    const parsed = (await res.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
    if (!res.ok) throw new ApiRequestError(res.status, parsed?.error?.code ?? 'unknown', parsed?.error?.message ?? res.statusText, null);
    return parsed as T;
  }
  return {
    ...visitor,
    /**
     * Availability; with the source tag, a campaign's target team is asked first (and the intake is
     * sealed to it); `danger`: the young person marked "I am in danger" (an organisation without a
     * specialist team sends it to its overflow partner).
     */
    status: (category: Category, source?: string, danger = false) =>
      source === undefined && !danger
        ? visitor.status(category)
        : request<Awaited<ReturnType<typeof visitor.status>>>(
            'GET',
            `/api/v1/status?category=${category}${source === undefined ? '' : `&source=${encodeURIComponent(source)}`}${danger ? '&danger=true' : ''}`,
          ),
    bundle: (team: string) => request<TeamBundle>('GET', `/api/v1/directory/teams/${encodeURIComponent(team)}`),
    wait: (team: string) => request<{ medianMs: number | null; samples: number }>('GET', `/api/v1/wait?team=${encodeURIComponent(team)}`),
    /** Whether the team is open now (duty hours, holidays) and its own out-of-hours text. */
    notice: (team: string) => request<TeamNotice>('GET', `/api/v1/teams/${encodeURIComponent(team)}/notice`),
    putResume: (id: string, token: string, lookup: string, blob: string) =>
      request<{ expiresAt: number }>('PUT', `/api/v1/conversations/${id}/resume`, { lookup, blob }, token),
    getResume: (lookup: string) => request<{ conversation: string; blob: string }>('GET', `/api/v1/resume/${lookup}`),
    grantConsent: (id: string, token: string, sealed: string, retentionDays: number) =>
      request<{ id: string; expiresAt: number }>('POST', `/api/v1/conversations/${id}/consent`, { sealed, retentionDays }, token),
    revokeConsent: (consent: string, token: string) => request<void>('DELETE', `/api/v1/consents/${consent}`, undefined, token),
    /** The young person's answer to a handover offer; accepted, the conversation waits in the receiving team's queue. */
    answerHandover: (id: string, token: string, answer: HandoverAnswer) => request<{ team: string; session: number }>('POST', `/api/v1/conversations/${id}/handover`, answer, token),
  };
}

/** The error code of a failed call: the API's code, "network" when nothing came back. */
export function errorCode(error: unknown): string {
  if (error instanceof ApiRequestError) return error.code;
  if (error instanceof TypeError) return 'network';
  if (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    // crypto/ errors (UntrustedKey, Expired, ...) all mean: could not verify.
    return /^[A-Z]/.test(code) ? 'crypto' : code;
  }
  return 'unknown';
}
