// The waiting conversation's status: the queue position and duty shown while waiting, the log read
// over HTTP when the conversation was taken but no handshake arrived, failures skipped.
import { describe, expect, it } from 'vitest';
import type { MessageId } from '../../../contract/ids.js';
import type { ConversationView as ServerView, LogEntry } from '../../shared/api-client.js';
import { createConversationView } from './conversation-view.js';
import { createStatusPoll } from './status-poll.js';

function setup(server: Partial<ServerView> | Error, log: LogEntry[] = []) {
  const view = createConversationView({ id: 'c1', category: 'chat', team: 'unga', staffed: true, messages: [], resumeCode: null });
  const asked: Array<string | null> = [];
  const handled: string[] = [];
  let awaiting = true;
  const poll = createStatusPoll({
    api: {
      get: async () => {
        if (server instanceof Error) throw server;
        return { id: 'c1', category: 'chat', team: 'unga', status: 'waiting', session: 0, queuePosition: 3, danger: false, ...server };
      },
      messages: async (_id, _token, after) => {
        asked.push(after ?? null);
        return { messages: log };
      },
    },
    conversation: { id: 'c1', token: 't' },
    view,
    awaiting: () => awaiting,
    lastId: () => '4-0',
    onEntry: (e) => void handled.push(e.id),
  });
  return { view, poll, asked, handled, settle: () => void (awaiting = false) };
}

const entry = (id: string): LogEntry => ({ id: id as MessageId, cid: id, kind: 'handshake', from: 'responder', session: 1, body: 'AA', at: 0 });

describe('status poll', () => {
  it('shows the queue position, duty and room while waiting', async () => {
    const { view, poll, asked } = setup({ queuePosition: 2, staffed: false, room: false, danger: true });
    await poll.pollOnce();
    expect(view.get()).toMatchObject({ queuePosition: 2, staffed: false, room: false, danger: true });
    expect(asked).toEqual([]);
  });

  it('catches up over HTTP from the last id when taken but no handshake came', async () => {
    const { poll, asked, handled } = setup({ status: 'active' }, [entry('5-0'), entry('6-0')]);
    await poll.pollOnce();
    expect(asked).toEqual(['4-0']);
    expect(handled).toEqual(['5-0', '6-0']);
  });

  it('leaves an active conversation’s view alone and reads no log once the handshake is in', async () => {
    const { view, poll, asked, settle } = setup({ status: 'active', queuePosition: null });
    view.set({ phase: 'active' });
    settle();
    await poll.pollOnce();
    expect(view.get().queuePosition).toBeNull();
    expect(asked).toEqual([]);
  });

  it('skips a failed poll', async () => {
    const { view, poll } = setup(new TypeError('network'));
    await poll.pollOnce();
    expect(view.get().queuePosition).toBeNull();
  });
});
