// Team notes on a conversation (crypto/note.ts): the console seals them to the team inbox key; the
// server stores opaque ciphertext beside the conversation, within its note budget, and hands it to
// the conversation's assignee and its team's members. It never sees a note's text.
import { createRoute, z } from '@hono/zod-openapi';
import type { Clock } from '../clock.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { ConversationId, ConversationRecord, ResponderRecord, Store } from '../store/ports.js';
import { ERROR_RESPONSES, json, type App } from './common.js';
import { ConversationIdParam, NoteRequest, NoteSchema, NotesSchema } from '../../contract/rest.js';

export interface NoteRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** NOTES_MAX_PER_CONVERSATION and NOTES_MAX_BYTES_PER_CONVERSATION. */
  readonly budget: { readonly maxNotes: number; readonly maxBytes: number };
}

const security = [{ responderSession: [] }];

/** Base64url characters → decoded bytes. */
const decodedBytes = (chars: number) => Math.floor((chars * 3) / 4);

export function registerNoteRoutes(app: App, deps: NoteRouteDeps): void {
  const { store } = deps;

  /** The conversation, if `responder` holds it or is a member of its team; else 403 (404 when gone). */
  const readable = async (id: string, responder: ResponderRecord): Promise<ConversationRecord> => {
    const record = await store.conversations.get(id as ConversationId);
    if (record === null) throw new ApiError(ErrorCode.ConversationGone);
    if (record.assignee !== responder.id && !responder.teams.includes(record.team)) throw new ApiError(ErrorCode.Forbidden);
    return record;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/responder/conversations/{id}/notes',
      tags: ['responder'],
      summary: 'The team notes of a conversation (ciphertext), oldest first',
      security,
      request: { params: ConversationIdParam },
      responses: { 200: json(NotesSchema, 'Notes'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const record = await readable(c.req.valid('param').id, c.get('responder'));
      return c.json({ notes: await store.notes.list(record.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/responder/conversations/{id}/notes',
      tags: ['responder'],
      summary: 'Add a team note (sealed in the browser); 409 notes_full past the conversation’s note budget',
      security,
      request: { params: ConversationIdParam, body: { content: { 'application/json': { schema: NoteRequest } }, required: true } },
      responses: { 201: json(NoteSchema, 'Stored'), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const responder = c.get('responder');
      const record = await readable(c.req.valid('param').id, responder);
      const { body } = c.req.valid('json');
      const added = await store.notes.add(record.id, { author: responder.id, at: deps.clock.now(), body }, { ...deps.budget, bytes: decodedBytes(body.length) });
      if (!added.ok) throw new ApiError(added.reason === 'gone' ? ErrorCode.ConversationGone : ErrorCode.NotesFull);
      return c.json(added.note, 201);
    },
  );
}
