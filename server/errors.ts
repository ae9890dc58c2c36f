// Typed API errors with stable codes; `toErrorResponse` is the only place they become HTTP.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable, machine-readable error codes. Clients map each to a human sentence. */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  InvalidJson: 'invalid_json',
  BodyTooLarge: 'body_too_large',
  MessageTooLarge: 'message_too_large',
  NotFound: 'not_found',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  CsrfFailed: 'csrf_failed',
  LoginFailed: 'login_failed',
  LoginLocked: 'login_locked',
  TotpRequired: 'totp_required',
  OffDuty: 'off_duty',
  AtCapacity: 'at_capacity',
  InvitationInvalid: 'invitation_invalid',
  PowInvalid: 'pow_invalid',
  PowExpired: 'pow_expired',
  PowReused: 'pow_reused',
  RateLimited: 'rate_limited',
  ConversationGone: 'conversation_gone',
  ConversationExists: 'conversation_exists',
  ConversationClosed: 'conversation_closed',
  ConversationFull: 'conversation_full',
  AlreadyClaimed: 'already_claimed',
  NotAssignee: 'not_assignee',
  NoTeam: 'no_team',
  SourceExists: 'source_exists',
  StoreUnavailable: 'store_unavailable',
  HelloTimeout: 'hello_timeout',
  SocketRateLimited: 'socket_rate_limited',
  ConversationFrameRateLimited: 'conversation_frame_rate_limited',
  ConversationRateLimited: 'conversation_rate_limited',
  ConversationTooLarge: 'conversation_too_large',
  ServiceBusy: 'service_busy',
  ConsentLimit: 'consent_limit',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The HTTP status of every code (test/http/error-status.test.ts walks it). 503 only for a store
 * that is briefly away (load balancers read it as "this instance is sick"), 500 only for a bug;
 * everything the client can change or wait out is a 4xx. A new code needs a row here and there.
 */
export const ERROR_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  invalid_json: 400,
  body_too_large: 413,
  message_too_large: 413,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  login_failed: 401,
  login_locked: 429,
  totp_required: 401,
  off_duty: 403,
  at_capacity: 409,
  invitation_invalid: 404,
  pow_invalid: 400,
  pow_expired: 400,
  pow_reused: 400,
  rate_limited: 429,
  conversation_gone: 404,
  conversation_exists: 409,
  conversation_closed: 409,
  conversation_full: 409,
  already_claimed: 409,
  not_assignee: 403,
  no_team: 409,
  source_exists: 409,
  store_unavailable: 503,
  hello_timeout: 408,
  socket_rate_limited: 429,
  conversation_frame_rate_limited: 429,
  conversation_rate_limited: 429,
  conversation_too_large: 409,
  service_busy: 503,
  consent_limit: 409,
  internal_error: 500,
};

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

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
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
