// createMetrics: queue gauges read at scrape time (danger entries decoded, gone ids skipped), and a
// registry of its own, so two apps in one process never share counters.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { DEMO_TEAMS } from '../demo.js';
import { createMemoryStore } from '../store/memory/memory-store.js';
import type { ConversationId, ConversationRecord } from '../store/ports.js';
import { createMetrics } from './metrics.js';

const value = async (registry: ReturnType<typeof createMetrics>['registry'], name: string, team: string) => {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels.team === team)?.value;
};

describe('createMetrics', () => {
  it('reports queue length and the oldest wait per team, danger entries included', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({ clock, sweepIntervalMs: 0 });
    for (const team of DEMO_TEAMS) await store.staff.putTeam(team);
    const team = DEMO_TEAMS[0]!.id;
    const now = clock.now();
    const record = (id: string, queuedAt: number, danger: boolean): ConversationRecord => ({
      id: id as ConversationId,
      category: 'chat',
      team,
      language: 'sv',
      source: 'web',
      status: 'waiting',
      tokenHash: '0'.repeat(64),
      createdAt: queuedAt,
      queuedAt,
      assignee: null,
      session: 0,
      danger,
      outcome: null,
    });
    // Waiting 60 s (danger, sorted first), 30 s, and a stale id whose conversation is gone.
    await store.conversations.create(record('a'.repeat(22), now - 60_000, true), 3_600_000);
    await store.conversations.create(record('b'.repeat(22), now - 30_000, false), 3_600_000);
    await store.queues.add(team, 'a'.repeat(22) as ConversationId, now - 60_000 - 1e13);
    await store.queues.add(team, 'b'.repeat(22) as ConversationId, now - 30_000);
    await store.queues.add(team, 'c'.repeat(22) as ConversationId, now - 999_000);

    const observed = createMetrics({ clock, processMetrics: false });
    observed.observeQueues(store);
    await observed.registry.metrics();
    expect(await value(observed.registry, 'utvag_queue_length', team)).toBe(3);
    expect(await value(observed.registry, 'utvag_queue_oldest_wait_seconds', team)).toBe(60);
    expect(await value(observed.registry, 'utvag_queue_length', DEMO_TEAMS[1]!.id)).toBe(0);
    expect(await value(observed.registry, 'utvag_queue_oldest_wait_seconds', DEMO_TEAMS[1]!.id)).toBe(0);
  });

  it('keeps each registry separate', async () => {
    const clock = createManualClock();
    const one = createMetrics({ clock, processMetrics: false });
    const two = createMetrics({ clock, processMetrics: false });
    one.metrics.claim('ok');
    expect((await one.registry.getSingleMetric('utvag_claims_total')?.get())?.values[0]?.value).toBe(1);
    expect((await two.registry.getSingleMetric('utvag_claims_total')?.get())?.values).toEqual([]);
  });

  it('a store that fails during a scrape costs the queue gauges, not the scrape', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({ clock, sweepIntervalMs: 0 });
    store.staff.listTeams = () => Promise.reject(new Error('down'));
    const observed = createMetrics({ clock, processMetrics: false });
    observed.observeQueues(store);
    const text = await observed.registry.metrics();
    expect(text).toContain('utvag_metrics_collect_errors_total 1');
    expect(text).toContain('utvag_claims_total');
  });
});
