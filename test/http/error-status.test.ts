// Every error code's HTTP status, walked code by code (the table lives in server/errors.ts), and the
// bug that started it against the real server: an unknown team was 503 `no_team`, which tells a load
// balancer the instance is sick. 503 is for a store briefly away or an instance shedding load, 500
// for a bug, all else is a 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorCode } from '../../contract/errors.js';
import { startE2eServer, type E2eServer } from '../support/e2e-server.js';

/** The audited status of each code, with why. A new code fails the walk until it has a row here. */
const AUDITED: Record<ErrorCode, { status: number; why: string }> = {
  invalid_request: { status: 400, why: 'the client sent something malformed' },
  invalid_json: { status: 400, why: 'malformed body' },
  body_too_large: { status: 413, why: 'payload too large' },
  message_too_large: { status: 413, why: 'payload too large' },
  not_found: { status: 404, why: 'no such resource (unknown team, source, conversation id)' },
  unauthorized: { status: 401, why: 'no or wrong credentials' },
  forbidden: { status: 403, why: 'authenticated but not allowed' },
  csrf_failed: { status: 403, why: 'authenticated but the request is not proven same-site' },
  login_failed: { status: 401, why: 'wrong credentials' },
  login_locked: { status: 429, why: 'too many attempts; Retry-After says when' },
  totp_required: { status: 401, why: 'a second factor is missing' },
  off_duty: { status: 403, why: 'the responder may not take work while off duty' },
  at_capacity: { status: 409, why: 'conflicts with the responder’s current load' },
  invitation_invalid: { status: 404, why: 'used, expired or unknown invitations look alike' },
  pow_invalid: { status: 400, why: 'bad proof' },
  pow_expired: { status: 400, why: 'stale proof; fetch a new challenge' },
  pow_reused: { status: 400, why: 'replayed proof' },
  rate_limited: { status: 429, why: 'budget spent; Retry-After says when' },
  conversation_gone: { status: 404, why: 'erased or expired' },
  conversation_exists: { status: 409, why: 'id collision; draw a new id' },
  conversation_closed: { status: 409, why: 'conflicts with the conversation’s state' },
  conversation_full: { status: 409, why: 'conflicts with the conversation’s state' },
  already_claimed: { status: 409, why: 'lost a race for the same conversation' },
  not_assignee: { status: 403, why: 'someone else holds the conversation' },
  no_team: { status: 409, why: 'no team takes this category now: the service’s state, not a sick instance' },
  source_exists: { status: 409, why: 'tag taken' },
  store_unavailable: { status: 503, why: 'the store is briefly away; Retry-After' },
  hello_timeout: { status: 408, why: 'the socket sent no hello in time' },
  socket_rate_limited: { status: 429, why: 'frame budget spent' },
  conversation_frame_rate_limited: { status: 429, why: 'the frame budget its sockets share is spent' },
  conversation_rate_limited: { status: 429, why: 'the conversation’s budget is spent' },
  conversation_too_large: { status: 409, why: 'conflicts with the conversation’s state (size)' },
  service_busy: { status: 503, why: 'the instance sheds load; Retry-After; another instance may take it' },
  consent_limit: { status: 409, why: 'conflicts with the consents already given' },
  notes_full: { status: 409, why: 'conflicts with the notes the conversation already holds (its budget)' },
  handover_not_allowed: { status: 403, why: 'authenticated, but no agreement allows a handover to that team' },
  no_handover_offer: { status: 409, why: 'conflicts with the conversation’s state: no open offer to that team' },
  internal_error: { status: 500, why: 'a bug; the only 500' },
};

describe('error codes and their HTTP status', () => {
  it('walks every code: the table answers the audited status; 503 only for the store or load shedding, 500 only for a bug', () => {
    const unavailable: string[] = [ErrorCode.StoreUnavailable, ErrorCode.ServiceBusy];
    for (const code of Object.values(ErrorCode)) {
      const audited = (AUDITED as Record<string, { status: number } | undefined>)[code];
      expect({ code, status: ERROR_STATUS[code] }).toEqual({ code, status: audited?.status });
      if (!unavailable.includes(code)) expect({ code, status: ERROR_STATUS[code] }).not.toEqual({ code, status: 503 });
      if (code !== ErrorCode.Internal && !unavailable.includes(code)) expect({ code, status: ERROR_STATUS[code] < 500 }).toEqual({ code, status: true });
    }
    expect(Object.keys(AUDITED).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  describe('against the real server', () => {
    let server: E2eServer;
    beforeAll(async () => {
      server = await startE2eServer();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('an unknown team in the directory is 404 not_found, a known one 200', async () => {
      const unknown = await fetch(`${server.url}/api/v1/directory/teams/nosuchteam`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await fetch(`${server.url}/api/v1/directory/teams/unga`)).status).toBe(200);
    });
  });
});
