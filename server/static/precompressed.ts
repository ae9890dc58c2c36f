// Serves the built, content-hashed assets with the compressed copy the build stored beside each file
// (scripts/precompress.ts): brotli or gzip as the request's Accept-Encoding allows, else the file
// itself; `Vary: Accept-Encoding`, a strong ETag per representation, 304 on If-None-Match.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Context } from 'hono';

export type ContentCoding = 'br' | 'gzip' | 'identity';

interface Representation {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly etag: string;
}

interface Asset {
  readonly type: string;
  readonly variants: Partial<Record<ContentCoding, Representation>>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Names the build writes into assets/ (no directories, no dot files, no traversal). */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;
const SUFFIX: Record<Exclude<ContentCoding, 'identity'>, string> = { br: '.br', gzip: '.gz' };

/**
 * The coding to send: brotli before gzip, each only when accepted with q > 0 (by name or by `*`),
 * else identity. Unknown or malformed parts are ignored.
 */
export function chooseEncoding(acceptEncoding: string | undefined, available: readonly ContentCoding[]): ContentCoding {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name === undefined || name === '') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
  }
  const accepted = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  for (const coding of ['br', 'gzip'] as const) if (available.includes(coding) && accepted(coding)) return coding;
  return 'identity';
}

/** True when If-None-Match names `etag` (weak comparison, as RFC 9110 wants for it) or is `*`. */
function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

const strongEtag = (bytes: Uint8Array<ArrayBuffer>) => `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;

/**
 * A handler for `/assets/:file` over `dir`. Files are read once, on first request, and kept (the
 * assets of one build are immutable and a few MB in all).
 */
export function precompressedAssets(dir: string) {
  const cache = new Map<string, Asset | null>();
  const load = (name: string): Asset | null => {
    if (cache.has(name)) return cache.get(name) ?? null;
    let asset: Asset | null = null;
    const path = join(dir, name);
    if (ASSET_NAME.test(name) && !name.endsWith('.br') && !name.endsWith('.gz') && existsSync(path)) {
      const read = (p: string): Representation | undefined => {
        if (!existsSync(p)) return undefined;
        const bytes = new Uint8Array(readFileSync(p));
        return { bytes, etag: strongEtag(bytes) };
      };
      asset = {
        type: TYPES[extname(name)] ?? 'application/octet-stream',
        variants: { identity: read(path), br: read(path + SUFFIX.br), gzip: read(path + SUFFIX.gzip) },
      };
    }
    cache.set(name, asset);
    return asset;
  };

  return (c: Context) => {
    const asset = load(c.req.param('file') ?? '');
    if (asset === null) return null;
    const available = (Object.keys(asset.variants) as ContentCoding[]).filter((k) => asset.variants[k] !== undefined);
    const coding = chooseEncoding(c.req.header('accept-encoding'), available);
    const chosen = asset.variants[coding] ?? asset.variants.identity;
    if (chosen === undefined) return null;
    const headers: Record<string, string> = {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      Vary: 'Accept-Encoding',
      ETag: chosen.etag,
    };
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    if (notModified(c.req.header('if-none-match'), chosen.etag)) return c.body(null, 304, headers);
    return c.body(chosen.bytes, 200, { ...headers, 'Content-Length': String(chosen.bytes.length) });
  };
}
