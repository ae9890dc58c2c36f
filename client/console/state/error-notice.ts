// The sentence the console shows for a failed call: an API error's stable code, a key that would not
// open, or anything else.
import { isCryptoError } from '../../../crypto/api-sumo.js';
import { ApiRequestError } from '../../../contract/errors.js';
import type { Notice } from './ports.js';

/** The notice for `error`: a known API code's own sentence, errKeys for crypto, errGeneric otherwise. */
export function errorNotice(error: unknown): Notice {
  if (error instanceof ApiRequestError) {
    if (error.code === 'login_failed') return { key: 'errLoginFailed' };
    if (error.code === 'totp_required') return { key: 'errTotpRequired' };
    if (error.code === 'login_locked' || error.code === 'rate_limited') return { key: 'errLocked', vars: { seconds: error.retryAfter ?? 60 } };
    if (error.code === 'already_claimed') return { key: 'claimed' };
    if (error.code === 'at_capacity') return { key: 'errAtCapacity' };
  }
  if (isCryptoError(error)) return { key: 'errKeys' };
  return { key: 'errGeneric' };
}
