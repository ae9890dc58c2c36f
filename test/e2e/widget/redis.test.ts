// One whole widget conversation against a real redis-server: chat both ways, a resume code, a shared
// (consented) name; afterwards no key or value in Redis holds any marker the visitor typed, and the
// widget's own records (resume blob, consent) carry a TTL.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../../server/store/redis/redis-store.js';
import type { Store } from '../../../server/store/ports.js';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { captureTraffic, createResponder, forms, marker } from './support.js';

let browser: Browser;
let redis: RedisServer;
let store: Store;
let server: E2eServer;

beforeAll(async () => {
  [browser, redis] = await Promise.all([launchChromium(), startRedisServer()]);
  store = await createRedisStore({ url: redis.url, prefix: 'w' });
  server = await startE2eServer({ store, env: { REDIS_PREFIX: 'w' }, sources: ['redis'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

async function dumpRedis(): Promise<Array<{ key: string; pttl: number; text: string }>> {
  const keys = (await redis.cli('--scan')).split('\n').filter((k) => k !== '');
  const out = [];
  for (const key of keys) {
    const type = await redis.cli('TYPE', key);
    const read: Record<string, string[]> = {
      string: ['GET', key],
      hash: ['HGETALL', key],
      stream: ['XRANGE', key, '-', '+'],
      zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
      set: ['SMEMBERS', key],
      list: ['LRANGE', key, '0', '-1'],
    };
    const args = read[type];
    out.push({ key, pttl: Number(await redis.cli('PTTL', key)), text: args === undefined ? '' : await redis.cli(...(args as [string, ...string[]])) });
  }
  return out;
}

describe('widget on Redis', () => {
  it('stores no plaintext of the visitor anywhere in Redis, and its records expire', async () => {
    const responder = await createResponder(server);
    await responder.onDuty(['unga']);
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    const traffic = captureTraffic(page);
    const [m1, m2, name, reply] = [marker('first'), marker('second'), marker('name'), marker('reply')];
    await page.goto(`${server.url}/c/redis`);
    await page.getByText('Någon är här just nu och kan svara.').waitFor();
    await page.getByRole('button', { name: 'Chatta nu' }).click();
    await page.getByLabel('Vad vill du berätta eller fråga?').fill(m1);
    await page.getByRole('button', { name: 'Skicka' }).click();
    const chat = await responder.take(await responder.queued((i) => i.source === 'redis'));
    await page.getByText('Du pratar med Demo responder', { exact: false }).waitFor();
    const box = page.getByRole('textbox', { name: 'Skriv ett meddelande' });
    await box.fill(m2);
    await box.press('Enter');
    await chat.waitForText(m2);
    await chat.send(reply);
    await page.locator('.msg.them', { hasText: reply }).waitFor();
    await page.getByTestId('resume-code').waitFor();
    await page.getByRole('button', { name: 'Dela mitt namn eller nummer' }).click();
    await page.getByLabel('Namn (om du vill)').fill(name);
    await page.getByLabel('90 dagar').check();
    await page.getByRole('button', { name: 'Dela med teamet' }).click();
    await page.getByText('Delat med teamet.', { exact: false }).waitFor();
    await page.waitForTimeout(1700);

    const dump = await dumpRedis();
    const everything = dump.map((d) => `${d.key}\n${d.text}`).join('\n');
    expect(everything).toContain(chat.id);
    for (const text of [m1, m2, name, reply]) {
      for (const form of forms(text)) {
        expect(everything.includes(form), `${text} in Redis`).toBe(false);
        expect(traffic.all().includes(form) && text !== reply, `${text} in the page's traffic`).toBe(false);
      }
    }
    const widgetKeys = dump.filter((d) => d.key.startsWith('w:exp:'));
    expect(widgetKeys.map((d) => d.key).sort()).toEqual(
      expect.arrayContaining(['w:exp:{consent:unga}', 'w:exp:{resume}', 'w:exp:{resume-conv}', 'w:exp:{consent-ref}']),
    );
    for (const d of widgetKeys) expect(d.pttl, d.key).toBeGreaterThan(0);
    const consents = await responder.consents();
    expect(consents).toEqual([{ id: expect.any(String), team: 'unga', retentionDays: 90, identity: expect.objectContaining({ name, phone: '', conversation: chat.id }) }]);
    const consent = dump.find((d) => d.key === 'w:exp:{consent:unga}');
    expect(consent?.pttl).toBeGreaterThan(89 * 86_400_000);
  }, 60_000);
});
