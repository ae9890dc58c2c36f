// Code delivery pins: a widget file that differs from the hash the build recorded does not run in the
// loader's frame, and a loader with a wrong hash in the snippet does not run at all. Its own Chromium:
// the renderer's resource cache must not already hold the genuine files.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { startE2eServer, type E2eServer } from '../../support/e2e-server.js';
import { startHostPage } from './support.js';

let browser: Browser;
let server: E2eServer;
let host: Awaited<ReturnType<typeof startHostPage>>;
const manifest = () =>
  JSON.parse(readFileSync('dist/public/widget-manifest.json', 'utf8')) as { loader: { integrity: string }; widget: { entry: { file: string } } };
/** A copy of the built clients whose widget entry was changed after the build (a server serving other code). */
const staticDir = mkdtempSync(join(tmpdir(), 'utvag-tampered-'));

beforeAll(async () => {
  cpSync('dist/public', staticDir, { recursive: true });
  appendFileSync(join(staticDir, manifest().widget.entry.file), '\n;document.title="changed";\n');
  // The build's compressed copies would still hold the genuine code: the changed file goes out alone.
  for (const suffix of ['.br', '.gz']) rmSync(join(staticDir, manifest().widget.entry.file + suffix), { force: true });
  [browser, server] = await Promise.all([launchChromium(), startE2eServer({ env: { STATIC_DIR: staticDir } })]);
  host = await startHostPage(browser, server);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('code delivery pins', () => {
  it('does not run a widget file that differs from the pinned hash, nor a loader with a wrong hash', async () => {
    const page = await host.openPage();
    await page.getByRole('button', { name: 'Prata med socialtjänsten' }).click();
    const frame = page.frameLocator('iframe[title="Utväg"]');
    await page.waitForTimeout(1500);
    expect(await frame.locator('#app').innerHTML()).toBe('');
    await page.context().close();

    const tampered = await host.openPage('/tampered');
    await tampered.waitForTimeout(500);
    expect(await tampered.getByRole('button', { name: 'Prata med socialtjänsten' }).count()).toBe(0);
    await tampered.context().close();
  });
});
