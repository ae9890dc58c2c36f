// `npm start`'s server from the production build: starts on the embedded store, answers health
// checks, serves the clients, seeds a demo responder whose printed login really works, stops on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLoginKeys } from '../../crypto/password.js';
import { loadSumoSodium } from '../../crypto/sodium-sumo.js';
import { createCookieJar, createResponderApi } from '../../client/shared/api-client.js';
import { freePort } from '../support/free-port.js';



let child: ChildProcess;
let output = '';
let base = '';

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('Demo responder')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 40_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('the built server on the embedded default', () => {
  it('answers /healthz and /readyz and serves the widget and console pages', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    for (const path of ['/c/demo', '/console']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<html lang="sv">');
    }
  });

  it('prints a demo login that works through Argon2id, as the console derives it', async () => {
    const match = /login "([^"]+)", password "([^"]+)"/.exec(output);
    expect(match).not.toBeNull();
    const [, login = '', password = ''] = match ?? [];
    const api = createResponderApi({ baseUrl: base, cookies: createCookieJar() });
    const params = await api.loginParams(login);
    await loadSumoSodium();
    const { authKey } = deriveLoginKeys(password, new Uint8Array(Buffer.from(params.salt, 'base64url')), params);
    const me = await api.login(login, authKey);
    expect(me.teams).toEqual(['unga', 'foraldrar', 'konsult']);
    expect(output).not.toContain(Buffer.from(authKey).toString('base64url'));
  });

  it('prints a login for each organisation of the demo region, which works and sees its own organisation only', async () => {
    const logins = new Map([...output.matchAll(/login "([^"]+)", password "([^"]+)"; (.*)/g)].map((m) => [m[1] ?? '', { password: m[2] ?? '', page: m[3] ?? '' }]));
    expect([...logins.keys()]).toEqual(['huddinge', 'botkyrka', 'regionen']);
    expect(logins.get('huddinge')?.page).toBe(`widget ${base}/c/huddinge`);
    const api = createResponderApi({ baseUrl: base, cookies: createCookieJar() });
    const params = await api.loginParams('huddinge');
    const { authKey } = deriveLoginKeys(logins.get('huddinge')?.password ?? '', new Uint8Array(Buffer.from(params.salt, 'base64url')), params);
    expect((await api.login('huddinge', authKey)).teams).toEqual(['huddinge-unga']);
    const teams = await api.call<{ items: Array<{ id: string }> }>('GET', '/api/v1/admin/teams');
    expect(teams.items.map((t) => t.id)).toEqual(['huddinge-unga']);
    expect((await api.call<{ overflowTargets: Array<{ team: string }> }>('GET', '/api/v1/admin/organisation')).overflowTargets.map((t) => t.team)).toEqual(['regionjouren']);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
