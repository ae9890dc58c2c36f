// For the crypto tests: the CryptoError code `run` throws, "ok" when it returns, the message otherwise.
import { isCryptoError } from './errors.js';

export function errorCodeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return isCryptoError(error) ? error.code : String(error);
  }
}
