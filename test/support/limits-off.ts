// The abuse budgets lifted for functional tests and benchmarks (they test the flows and measure the
// relay, not the limits; test/security/abuse-limits plays those): one place, so a new budget is
// lifted everywhere at once. Defaults and meaning: server/config.ts, docs/configuration.md.
export const LIMITS_OFF: Readonly<Record<string, string>> = {
  RATE_OPEN_PER_HOUR: '1000000',
  RATE_REQUESTS_PER_MINUTE: '10000000',
  WS_FRAMES_PER_SECOND: '10000',
  WS_FRAME_BURST: '100000',
  WS_CONVERSATION_FRAMES_PER_SECOND: '100000',
  WS_CONVERSATION_FRAME_BURST: '1000000',
  CONVERSATION_BYTES_PER_HOUR: String(2 ** 30),
  CONVERSATION_MAX_BYTES: String(2 ** 30),
};
