import type { FastifyInstance } from 'fastify';

/**
 * Sent with every answer. Pages may not be framed by another site (a foreign page framing a
 * campaign page could trick a click on Pause or Cancel): CSP frame-ancestors, and
 * X-Frame-Options for browsers without it. Scripts, styles, images and fetches come from the
 * dashboard itself only (everything is served locally, ECharts included); inline styles stay
 * allowed for Bull Board's markup and the page's progress bars, inline scripts do not.
 */
const HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // Not no-referrer: Chromium then sends "Origin: null" with the page's own form posts (sign-in).
  'referrer-policy': 'same-origin',
};

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(HEADERS);
  });
}
