// First load on the wire, measured in Chromium (`npm run build` first): a fresh profile opens the QR
// page (/c/<source>) until its first screen is usable, and the console until its login screen shows;
// the bytes are CDP Network.loadingFinished encodedDataLength summed over every request (headers and
// bodies as received: brotli where the browser accepts it).
import { launchChromium } from '../test/support/chromium.js';
import { startE2eServer } from '../test/support/e2e-server.js';
import { firstLoadBytes, type WireLoad } from '../test/support/wire-bytes.js';

const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

export async function measureFirstLoads(): Promise<{ qr: WireLoad; console: WireLoad }> {
  const [browser, server] = await Promise.all([launchChromium(), startE2eServer({ sources: ['bench-poster'] })]);
  try {
    const qr = await firstLoadBytes(browser, `${server.url}/c/bench-poster`, async (page) => {
      await page.getByRole('button', { name: 'Chatta nu' }).waitFor();
    });
    const consolePage = await firstLoadBytes(browser, `${server.url}/console`, async (page) => {
      await page.getByRole('button', { name: /Logga in/ }).waitFor();
    });
    return { qr, console: consolePage };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** The BENCHMARKS.md section. */
export async function runFirstLoadBench(): Promise<string> {
  const loads = await measureFirstLoads();
  const row = (name: string, load: WireLoad) => {
    const assets = load.resources.filter((r) => r.url.startsWith('/assets/'));
    return `| ${name} | ${kb(load.total)} | ${load.resources.length} | ${assets.map((r) => `${r.url.replace('/assets/', '')} ${kb(r.bytes)} (${r.encoding ?? 'identity'})`).join(', ')} |`;
  };
  return [
    '## First load on the wire (Chromium)',
    '',
    `${new Date().toISOString().slice(0, 10)}, \`npm run build && npm run bench -- wire\`. Fresh profile, cache off; bytes are CDP \`Network.loadingFinished\` \`encodedDataLength\` summed over every request (headers and bodies as received) until the first screen is usable and the network idle. Assets go out precompressed (brotli, else gzip; scripts/precompress.ts); before this the same QR page load was about 560 kB (the crypto chunk alone 468 kB). test/http/compression.test.ts holds the QR page under 250 kB.`,
    '',
    '| page | on the wire | requests | assets (encoding) |',
    '|---|---|---|---|',
    row('QR page `/c/<source>`', loads.qr),
    row('console `/console` (login screen)', loads.console),
  ].join('\n');
}
