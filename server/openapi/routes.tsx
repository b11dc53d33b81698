/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { z } from 'zod';
import { customerPageHeaders } from '../http/page-headers.js';
import { ApiDocsPage } from './docs-page.js';
import { buildOpenApiDocument, type JsonObject } from './document.js';
import { registerOperations } from './registry.js';
import { packageVersion } from '../paths.js';

registerOperations(
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Reference',
    summary: 'This OpenAPI 3.1 document',
    auth: 'none',
    responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'Reference',
    summary: 'The API reference as a web page',
    auth: 'none',
    responses: { 200: { description: 'HTML, rendered from the document', contentType: 'text/html' } },
  },
);

/**
 * GET /api/openapi.json and /api/docs, public: they describe the API, not data. Built once, on first request,
 * because every area has registered by the time the app serves (registration happens when app.tsx imports routes).
 */
export function openApiRoutes(options: { publicUrl: string }) {
  const app = new Hono();
  let document: JsonObject | undefined;
  const current = () => (document ??= buildOpenApiDocument({ version: packageVersion(), serverUrl: options.publicUrl }));

  app.get('/api/openapi.json', (c) => c.json(current()));
  app.get('/api/docs', customerPageHeaders(), (c) =>
    c.html(`<!doctype html>${(<ApiDocsPage document={current()} nonce={c.get('secureHeadersNonce') ?? ''} />).toString()}`),
  );
  return app;
}
