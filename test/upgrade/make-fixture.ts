// Writes test/upgrade/fixtures/single-org-2026-12-03.json: a Redis store as the single-organisation code
// of 2026-12-03 (before organisations) wrote it — the demo organisation and responder with enrolled
// keys, a source, team settings, one closed and one waiting conversation, their statistics and audit.
// Run once with that code: `npx tsx test/upgrade/make-fixture.ts`. The upgrade test loads the output.
import { writeFileSync } from 'node:fs';
import { loadSodium } from '../../crypto/sodium-standard.js';
import { systemClock, systemRandom } from '../../server/clock.js';
import { seedDemo } from '../../server/demo.js';
import { createDirectory } from '../../server/directory/directory.js';
import { enrolDemoResponder, ensureDemoOrg, refreshDemoOrg } from '../../server/directory/demo-org.js';
import { createTeamSettings } from '../../server/routing/team-settings.js';
import { createSources } from '../../server/sources/index.js';
import { createRedisStore } from '../../server/store/redis/index.js';
import type { TeamId } from '../../server/store/ports.js';
import { createTestApp, fakeCipher, newCid, solvePow } from '../support/harness.js';
import { startRedisServer } from '../support/redis-server.js';
import { dumpRedis } from './store-dump.js';
import { FIXTURE_AUTH_KEY, FIXTURE_WRAP_KEY } from './fixture-keys.js';

await loadSodium();
const redis = await startRedisServer();
try {
  const store = await createRedisStore({ url: redis.url });
  const deps = { store, directory: createDirectory(store.records), clock: systemClock, random: systemRandom };
  const rootPublicKey = await ensureDemoOrg(deps);
  const demo = await seedDemo(store, async () => ({ authKey: FIXTURE_AUTH_KEY, wrapKey: FIXTURE_WRAP_KEY }), systemRandom);
  if (demo === null) throw new Error('fresh store expected');
  await enrolDemoResponder(deps, demo.responder, demo.wrapKey);
  await refreshDemoOrg(deps);
  await createSources({ records: store.records, clock: systemClock }).create({ tag: 'affisch-centrum', label: 'Affisch centrum', team: 'unga' as TeamId, language: 'sv' });
  const settings = createTeamSettings(store.records);
  await settings.put('foraldrar' as TeamId, { ...(await settings.get('foraldrar' as TeamId)), defaultCapacity: 4, outOfHoursText: { sv: 'Vi svarar vardagar.', en: 'We answer on weekdays.', ar: '' } });

  const app = await createTestApp({ store });
  const responder = app.responder();
  await responder.login('demo', FIXTURE_AUTH_KEY);
  await responder.duty('unga', true);
  const open = () => app.visitor().open({ category: 'chat', language: 'sv', source: 'affisch-centrum', intake: { cid: newCid(), kind: 'intake', body: fakeCipher() } }, solvePow);
  const closed = await open();
  await responder.claim(closed.id);
  await responder.close(closed.id, 'helped');
  const waiting = await open();
  await responder.duty('unga', false);

  const keys = await dumpRedis(redis.url);
  const fixture = { writtenAt: Date.now(), by: 'single-organisation code of 2026-12-03 (commit 4eeb291)', rootPublicKey, login: 'demo', waiting: waiting.id, waitingToken: waiting.token, keys };
  writeFileSync(new URL('./fixtures/single-org-2026-12-03.json', import.meta.url), `${JSON.stringify(fixture, null, 1)}\n`);
  await store.close();
  console.log(`${keys.length} keys written`);
} finally {
  await redis.stop();
}
