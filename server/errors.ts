// Typed API errors with the contract's stable codes (contract/errors.ts); the app's onError is the
// only place they become HTTP.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_STATUS, ErrorCode, type ErrorBody } from '../contract/errors.js';

export { ERROR_STATUS, ErrorCode, type ErrorBody } from '../contract/errors.js';

/** The developer's sentence in an error body; people read the catalogue sentence of the code. */
const MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  invalid_json: 'The request body is not valid JSON.',
  body_too_large: 'The request body is too large.',
  message_too_large: 'The message is too large.',
  not_found: 'Not found.',
  unauthorized: 'Authentication is required.',
  forbidden: 'Not allowed.',
  csrf_failed: 'Missing or wrong CSRF token.',
  login_failed: 'Wrong login, password or code.',
  login_locked: 'Too many failed logins; wait before trying again.',
  totp_required: 'Enter the code from your authenticator app.',
  off_duty: 'Go on duty in this team to take conversations.',
  at_capacity: 'You have as many conversations as your capacity allows.',
  invitation_invalid: 'This invitation is not valid (used, expired or unknown).',
  pow_invalid: 'The proof of work is not valid.',
  pow_expired: 'The proof-of-work challenge has expired.',
  pow_reused: 'The proof-of-work challenge was already used.',
  rate_limited: 'Too many requests; try again later.',
  conversation_gone: 'The conversation does not exist any more.',
  conversation_exists: 'A conversation with this id exists; draw a new id.',
  conversation_closed: 'The conversation is closed.',
  conversation_full: 'The conversation has reached its message limit.',
  already_claimed: 'Another responder has already taken this conversation.',
  not_assignee: 'This conversation is assigned to someone else.',
  no_team: 'No team takes this kind of conversation.',
  source_exists: 'A source with this tag exists already.',
  store_unavailable: 'The service cannot store data right now; try again shortly.',
  hello_timeout: 'The socket did not say hello in time.',
  socket_rate_limited: 'Too many frames on this connection; slow down.',
  conversation_frame_rate_limited: 'Too many frames in this conversation (all its connections together); slow down.',
  conversation_rate_limited: 'This conversation has sent too much in the last hour; wait before sending more.',
  conversation_too_large: 'The conversation has reached its size limit.',
  service_busy: 'The service is taking no new conversations right now; try again in a few minutes.',
  consent_limit: 'This conversation has shared as many identities as allowed.',
  notes_full: 'This conversation holds as many notes (or note bytes) as allowed.',
  handover_not_allowed: 'No overflow agreement links your organisation to that team’s; hand over within your organisation with a transfer.',
  no_handover_offer: 'No handover offer to that team is open.',
  internal_error: 'Something went wrong on our side.',
};

/** An error with a stable code; thrown anywhere, answered by the app's onError. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string = MESSAGES[code],
    /** Seconds after which a retry may succeed (Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export function errorBody(code: ErrorCode, message: string = MESSAGES[code]): ErrorBody {
  return { error: { code, message } };
}

/**
 * The ApiError an error stands for: itself, or the store refusing work (503 with a retry hint);
 * null for anything unexpected (a bug: answered as 500 and logged without details of the request).
 */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof Error && (error as { code?: unknown }).code === 'store_unavailable') {
    return new ApiError(ErrorCode.StoreUnavailable, undefined, 5);
  }
  if (error instanceof Error && (error as { code?: unknown }).code === 'store_conflict') {
    return new ApiError(ErrorCode.ConversationExists);
  }
  return null;
}
