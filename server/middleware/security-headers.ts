// Strict security headers for every response (DESIGN "Security baseline").
import type { MiddlewareHandler } from 'hono';

export interface SecurityHeaderOptions {
  /** Origins allowed to frame the widget, beside 'self'. */
  readonly frameAncestors: readonly string[];
  readonly hsts: boolean;
}

/** Sets CSP, HSTS, referrer, sniffing, framing and caching headers. */
export function securityHeaders(options: SecurityHeaderOptions): MiddlewareHandler {
  const ancestors = ["'self'", ...options.frameAncestors].join(' ');
  const csp = [
    "default-src 'self'",
    // libsodium runs as WebAssembly: Chromium needs 'wasm-unsafe-eval'; 'unsafe-eval' stays out.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
  return async function securityHeaders(c, next) {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', csp);
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (options.hsts) h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  };
}
