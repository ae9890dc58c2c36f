// Vite plugin: once the clients are written, stores a brotli (.br, quality 11) and a gzip (.gz,
// level 9) copy beside every compressible file of dist/public/assets, which the server sends when the
// browser's Accept-Encoding allows (server/static/precompressed.ts): no compression work per request.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files worth compressing: text and WebAssembly. Smaller files gain less than the encoding costs. */
export const COMPRESSIBLE = /\.(js|mjs|css|json|svg|wasm|txt)$/;
const MIN_BYTES = 1024;

/** Writes `<file>.br` and `<file>.gz` beside each compressible file of `dir` (not recursive). */
export async function precompressDir(dir: string): Promise<number> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && COMPRESSIBLE.test(e.name)).map((e) => e.name);
  let written = 0;
  await Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name));
      if (bytes.length < MIN_BYTES) return;
      const [br, gzipped] = await Promise.all([
        brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
        gz(bytes, { level: 9 }),
      ]);
      // A compressed copy that is not smaller is never sent.
      if (br.length < bytes.length) await writeFile(join(dir, `${name}.br`), br);
      if (gzipped.length < bytes.length) await writeFile(join(dir, `${name}.gz`), gzipped);
      written += 1;
    }),
  );
  return written;
}

export function precompress(options: { assetsDir: string }): Plugin {
  return {
    name: 'utvag-precompress',
    apply: 'build',
    enforce: 'post',
    async closeBundle() {
      await precompressDir(options.assetsDir);
    },
  };
}
