// Shared pieces of route definitions: the app's env type, error responses, JSON helpers.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ResponderRecord, SessionRecord } from '../store/ports.js';
import { ErrorSchema } from '../../contract/rest.js';

export interface AppEnv {
  Variables: {
    responder: ResponderRecord;
    session: SessionRecord;
    sessionHash: string;
  };
}

export type App = OpenAPIHono<AppEnv>;

const errorResponse = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

/** The error responses every route can give, for the OpenAPI document. */
export const ERROR_RESPONSES = {
  400: errorResponse('Invalid request (code says why)'),
  401: errorResponse('Missing or wrong credentials'),
  403: errorResponse('Not allowed'),
  404: errorResponse('Not found, or the conversation is gone'),
  409: errorResponse('Conflict with the conversation state'),
  413: errorResponse('Body or message too large'),
  429: errorResponse('Rate limited; see Retry-After'),
  503: errorResponse('Store unavailable; see Retry-After'),
} as const;

export const json = <T extends object>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Reads `Authorization: Bearer <token>`; empty string when absent. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header ?? '');
  return match?.[1] ?? '';
}
