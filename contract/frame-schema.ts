// The validating parser of client socket frames (server side; clients import frames.ts).
import { z } from 'zod';
import { CONVERSATION_ID, MESSAGE_ID } from './ids.js';
import type { ClientFrame } from './frames.js';
import { EnvelopeSchema } from './rest.js';

const ConvId = z.string().regex(CONVERSATION_ID);
const MsgId = z.string().regex(MESSAGE_ID);

/** What a client may send; anything else is answered with an error frame. */
export const ClientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), v: z.literal(1), c: ConvId.optional(), token: z.string().max(128).optional(), after: MsgId.nullable().optional() }).strict(),
  z.object({ t: z.literal('sub'), c: ConvId, after: MsgId.nullable() }).strict(),
  z.object({ t: z.literal('unsub'), c: ConvId }).strict(),
  z.object({ t: z.literal('send'), c: ConvId, e: EnvelopeSchema }).strict(),
  z.object({ t: z.literal('typing'), c: ConvId }).strict(),
  z.object({ t: z.literal('ping') }).strict(),
]);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check: the parser accepts exactly the frames frames.ts describes. */
true satisfies Same<z.infer<typeof ClientFrameSchema>, ClientFrame>;
