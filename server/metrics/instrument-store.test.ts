// instrumentStore: the wrapped store behaves like the original (every port, present and future),
// times each call by operation name and outcome, counts stored messages and claim outcomes.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory/memory-store.js';
import { StoreUnavailableError } from '../store/errors.js';
import type { ConversationId, ConversationRecord, ResponderId, Store, TeamId } from '../store/ports.js';
import { sampleConversation } from '../store/store.case.js';
import { instrumentStore } from './instrument-store.js';
import type { Metrics } from './metrics.js';

function recorder() {
  const calls: string[] = [];
  const metrics: Metrics = {
    messageRelayed: (from, kind) => calls.push(`relayed ${from} ${kind}`),
    claim: (outcome) => calls.push(`claim ${outcome}`),
    error: (code, transport) => calls.push(`error ${code} ${transport}`),
    storeOperation: (operation, seconds, outcome) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      calls.push(`op ${operation} ${outcome}`);
    },
    socketOpened: () => calls.push('open'),
    socketClosed: () => calls.push('close'),
  };
  return { calls, metrics };
}

const record = (id: string) => sampleConversation({ id: id as ConversationId, team: 'unga' as TeamId, source: 'web' });

describe('instrumentStore', () => {
  it('keeps every member of the store', () => {
    const raw = createMemoryStore({ sweepIntervalMs: 0 });
    const wrapped = instrumentStore(raw, recorder().metrics);
    expect(Object.keys(wrapped).sort()).toEqual(Object.keys(raw).sort());
  });

  it('times calls, counts new messages (not duplicates) and claim outcomes', async () => {
    const { calls, metrics } = recorder();
    const store = instrumentStore(createMemoryStore({ sweepIntervalMs: 0 }), metrics);
    const id = 'c'.repeat(22) as ConversationId;
    await store.conversations.create(record(id), 60_000);
    const input = { cid: 'cid-0000000000000001', kind: 'message' as const, body: 'AAAA' };
    await store.log.append(id, 'visitor', 0, input, 60_000, 10);
    await store.log.append(id, 'visitor', 0, input, 60_000, 10);
    await store.conversations.claim(id, 'r-a' as ResponderId);
    await store.conversations.claim(id, 'r-b' as ResponderId);
    expect(calls).toEqual([
      'op conversations.create ok',
      'op log.append ok',
      'relayed visitor message',
      'op log.append ok',
      'op conversations.claim ok',
      'claim ok',
      'op conversations.claim ok',
      'claim taken',
    ]);
  });

  it('reports a refusing store as "unavailable" and rethrows the same error', async () => {
    const { calls, metrics } = recorder();
    const raw = createMemoryStore({ sweepIntervalMs: 0 });
    const failing: Store = { ...raw, ping: () => Promise.reject(new StoreUnavailableError('down')) };
    failing.queues.size = () => Promise.reject(new Error('bug'));
    const store = instrumentStore(failing, metrics);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.queues.size('unga' as TeamId)).rejects.toThrow('bug');
    expect(calls).toEqual(['op ping unavailable', 'op queues.size error']);
  });
});
