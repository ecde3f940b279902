/**
 * GET /openapi.json (OpenAPI 3.1, generated from the same zod schemas that validate requests)
 * and GET /docs (a page rendered from that document). Both work offline: the page is one HTML
 * document with its style and a small script inline, no CDN.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../deps';
import { DOCS_SCRIPT, renderDocsPage, type OpenApiDocument } from './docs-page';

export function docsRoutes(document: () => OpenApiDocument): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  let page: Promise<{ html: string; csp: string }> | undefined;

  routes.get('/openapi.json', (c) => c.json(document()));

  routes.get('/docs', async (c) => {
    page ??= (async () => ({
      html: renderDocsPage(document()),
      csp: [
        "default-src 'none'",
        `script-src '${await sha256Base64(DOCS_SCRIPT)}'`,
        "style-src 'unsafe-inline'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; '),
    }))();
    const { html, csp } = await page;
    c.header('Content-Security-Policy', csp);
    return c.html(html);
  });

  return routes;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `sha256-${btoa(String.fromCharCode(...digest))}`;
}
