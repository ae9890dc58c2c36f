// Error codes of the API and the socket: the stable code and its HTTP status. The human sentence a
// client shows for a code is its catalogue entry `errors.<code>` (the widget's catalogue tests check
// every code has one). Plain constants, types and the error clients throw (no dependencies).

/** Stable, machine-readable error codes. */
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
  NotesFull: 'notes_full',
  /** The team is of another organisation that no overflow agreement links to the responder's (handover refused). */
  HandoverNotAllowed: 'handover_not_allowed',
  /** No handover offer to that team is open (withdrawn, already answered, or never made). */
  NoHandoverOffer: 'no_handover_offer',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The HTTP status of every code (test/http/error-status.test.ts walks it). 503 only for a store
 * that is briefly away (load balancers read it as "this instance is sick"), 500 only for a bug;
 * everything the client can change or wait out is a 4xx. A new code needs a row here and a sentence
 * under its key in every catalogue.
 */
export const ERROR_STATUS = {
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
  notes_full: 409,
  handover_not_allowed: 403,
  no_handover_offer: 409,
  internal_error: 500,
} as const satisfies Record<ErrorCode, number>;

/** The body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

/** An error answer of the API: its stable code, for the UI to turn into a sentence. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    /** The contract's code, or "unknown" for an answer without one (a proxy's error page). */
    readonly code: ErrorCode | 'unknown',
    message: string,
    readonly retryAfter: number | null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}
