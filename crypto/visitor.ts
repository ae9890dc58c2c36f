// The end-to-end library as the visitor's widget uses it: only the functions a young person's page
// calls, and the standard libsodium build's loader. The widget loads this module as one lazy chunk;
// naming the functions here (instead of ./index.ts's whole namespace) lets the bundler drop the
// certificate issuing, ledger, transfer and responder code a visitor never runs.
export { loadSodium } from './sodium-standard.js';
export { toBase64url, fromBase64url, toHex } from './encoding.js';
export { conversationIdFromString, conversationIdToString } from './conversation-id.js';
export { powSolveAsync } from './pow.js';
export { createTrustAnchor, verifyTeamCert } from './chain.js';
export { createIntake, createCallbackRequest } from './intake.js';
export { createSessionRequest } from './session-request.js';
export { createHandoverRequest } from './handover.js';
export { parseHandshake, completeHandshake } from './handshake.js';
export { encryptMessage, decryptMessage, closeSession } from './session.js';
export { generateResumeCode, parseResumeCode, resumeLookupHash, sealResumeBlob, openResumeBlob } from './resume-code.js';
export { generateVerificationWord } from './verification-word.js';
