// Structured JSON logs (pino). Callers log only allow-listed fields; redaction is the second line
// of defence for anything identifying a visitor that slips into a log object.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths censored wherever they appear; the test in logger.test.ts proves it. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'ip',
  '*.ip',
  'remoteAddress',
  '*.remoteAddress',
  'userAgent',
  '*.userAgent',
  'cookie',
  '*.cookie',
  'conversation',
  '*.conversation',
  'conversationId',
  '*.conversationId',
  'body',
  '*.body',
  'password',
  '*.password',
  'authKey',
  '*.authKey',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
