// "I am in danger" in a region, through the real app on the in-memory store and on a real Redis: a
// municipality without a specialist team sends a young person in danger to the regional team it has
// an overflow agreement with, even while its own team is on duty; the widget's verification names who
// answers before they write. A municipality with a specialist team keeps them (flagged, first in its
// queue); without the agreement, or with nobody on duty in the region, they stay where they are.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import * as crypto from '../../crypto/index.js';
import { createWidgetApi } from '../../client/widget/state/api.js';
import { verifiedTeam } from '../../client/widget/state/conversation.js';
import { createTeamSettings } from '../../server/routing/team-settings.js';
import { createRedisStore } from '../../server/store/redis/redis-store.js';
import type { Store, TeamId } from '../../server/store/ports.js';
import { createTestApp, fakeCipher, newCid, solvePow, type TestApp } from '../support/harness.js';
import { loginInRegion, seedRegion, type SeededRegion } from '../support/region.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let redis: RedisServer | null = null;
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await redis?.stop();
});

const BACKENDS = [
  { name: 'memory', store: async (): Promise<Store | undefined> => undefined },
  {
    name: 'redis',
    store: async (): Promise<Store | undefined> => {
      redis ??= await startRedisServer();
      const store = await createRedisStore({ url: redis.url, prefix: `danger-${randomBytes(4).toString('hex')}` });
      stores.push(store);
      return store;
    },
  },
];

describe.each(BACKENDS)('danger routing in a region ($name store)', (backend) => {
  async function setup() {
    const store = await backend.store();
    const t: TestApp = await createTestApp(store === undefined ? {} : { store });
    const region: SeededRegion = await seedRegion(t.store, t.clock);
    const as = (login: string) => loginInRegion(t, region, login);
    const status = async (source: string, danger: boolean) =>
      (await (await t.call('GET', `/api/v1/status?category=chat&source=${source}${danger ? '&danger=true' : ''}`)).json()) as { team: string; staffed: boolean };
    const open = (source: string, danger: boolean) =>
      t.visitor().open({ category: 'chat', language: 'sv', source, danger, intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
    /** Who the widget says answers when the danger box is ticked (the organisation certificate it verified). */
    const answeredBy = async (source: string) => {
      const api = createWidgetApi('http://localhost', t.fetch);
      return (await verifiedTeam({ api, crypto, rootPublicKey: region.rootPublicKey }, (await api.status('chat', source, true)).team)).anchor.org.organisation?.name ?? null;
    };
    const huddinge = await as('huddinge');
    const regionen = await as('regionen');
    await huddinge.duty('huddinge-unga', true);
    await regionen.duty('regionjouren', true);
    return { t, huddinge, regionen, status, open, answeredBy };
  }

  it('goes to the regional team while the municipality, which has no specialist team, is on duty', async () => {
    const { huddinge, regionen, status, open, answeredBy } = await setup();
    expect(await status('huddinge', false)).toMatchObject({ team: 'huddinge-unga', staffed: true });
    expect(await status('huddinge', true)).toMatchObject({ team: 'regionjouren', staffed: true });
    expect(await answeredBy('huddinge')).toBe('Regionjouren');
    const opened = await open('huddinge', true);
    expect(opened.team).toBe('regionjouren');
    expect((await regionen.queue()).items.map((i) => ({ id: i.id, danger: i.danger }))).toEqual([{ id: opened.id, danger: true }]);
    expect((await huddinge.queue()).items).toEqual([]);
    // Not in danger: the municipality's own team, as before.
    expect((await open('huddinge', false)).team).toBe('huddinge-unga');
  });

  it('stays in a municipality that has a specialist team of its own, flagged and first in its queue', async () => {
    const { t, huddinge, status, open } = await setup();
    const settings = createTeamSettings(t.store.records);
    await settings.put('huddinge-unga' as TeamId, { ...(await settings.get('huddinge-unga' as TeamId)), specialist: true });
    expect(await status('huddinge', true)).toMatchObject({ team: 'huddinge-unga', staffed: true });
    const calm = await open('huddinge', false);
    const danger = await open('huddinge', true);
    expect(danger.team).toBe('huddinge-unga');
    expect((await huddinge.queue()).items.map((i) => i.id)).toEqual([danger.id, calm.id]);
  });

  it('stays in the municipality when nobody in the region is on duty, or once the region ends the agreement', async () => {
    const { regionen, status, open } = await setup();
    await regionen.call('PUT', '/api/v1/admin/organisation/overflow', { acceptsOverflowFrom: ['botkyrka'] });
    expect(await status('huddinge', true)).toMatchObject({ team: 'huddinge-unga', staffed: true });
    expect((await open('huddinge', true)).team).toBe('huddinge-unga');
    await regionen.call('PUT', '/api/v1/admin/organisation/overflow', { acceptsOverflowFrom: ['botkyrka', 'huddinge'] });
    expect(await status('huddinge', true)).toMatchObject({ team: 'regionjouren', staffed: true });
    await regionen.duty('regionjouren', false);
    expect(await status('huddinge', true)).toMatchObject({ team: 'huddinge-unga', staffed: true });
  });
});
