import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.js';
import { openApiPath, staleOperations, undocumentedRoutes } from '../../server/openapi/coverage.js';
import { startTestHami, type TestHami } from '../helpers/hami.js';

// `any`: the document is JSON the test walks by name; each expectation states the shape it needs.
type Json = any;

describe('the OpenAPI document and the API reference', () => {
  let hami: TestHami;
  let document: Json;

  beforeAll(async () => {
    hami = await startTestHami();
    const res = await fetch(`${hami.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    document = await res.json();
  });
  afterAll(() => hami.stopAndClean());

  test('every /api/ route of the app is in the document', () => {
    const routes = createApp(hami.deps).routes;
    expect(routes.some((r) => r.path === '/api/callbacks/:id')).toBe(true);
    const missing = undocumentedRoutes(routes);
    const hint =
      `these routes are not in /api/openapi.json: ${missing.join('; ')}. ` +
      'Register each next to its route with registerOperations({ method, path (with {param}), tag, summary, auth, params?, query?, body?, responses }) ' +
      'from server/openapi/registry.ts (the doc comment there shows how)';
    expect(missing, hint).toEqual([]);
  });

  test('every documented operation is served (no stale registrations)', () => {
    expect(staleOperations(createApp(hami.deps).routes), 'registered in server/openapi but no such route').toEqual([]);
  });

  test('Hono paths become OpenAPI paths', () => {
    expect(openApiPath('/api/segments/:id/members')).toBe('/api/segments/{id}/members');
    expect(openApiPath('/api/keys/:id{[0-9a-f-]+}')).toBe('/api/keys/{id}');
  });

  test('it is OpenAPI 3.1 with unique operation ids, and each path parameter is declared', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+/);
    const ids: string[] = [];
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        ids.push(op.operationId);
        expect(op.responses, `${method} ${path}`).toBeTruthy();
        const declared = (op.parameters ?? [])
          .filter((p: Json) => p.in === 'path')
          .map((p: Json) => p.name)
          .sort();
        const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        expect(declared, `${method} ${path} path parameters`).toEqual(inPath);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the event body is the zod schema that validates it: same required fields, enums and formats', () => {
    const op = document.paths['/api/v1/events'].post;
    expect(op.security).toEqual([{ apiKey: [] }]);
    const schema = op.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['type', 'id', 'customer']));
    expect(schema.properties.type.enum).toEqual(['purchase', 'resolution']);
    expect(schema.additionalProperties).toBe(false);
    // The phone is read as people write it: the document says which forms, and that E.164 is what is stored.
    expect(schema.properties.customer.properties.phone).toMatchObject({ type: 'string', maxLength: 64 });
    expect(schema.properties.customer.properties.phone.description).toContain('0912 123 4567');
    expect(schema.properties.customer.properties.phone.description).toContain('HAMI_DEFAULT_COUNTRY');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401']));
    expect(op.responses['400'].content['application/json'].schema.properties.error.required).toEqual(['code', 'message']);
  });

  test('staff operations name their session, query parameters and answers', () => {
    const nps = document.paths['/api/metrics/nps'].get;
    expect(nps.security).toEqual([{ session: [] }]);
    expect(nps.description).toContain('metrics:read');
    const params = Object.fromEntries(nps.parameters.map((p: Json) => [p.name, p]));
    expect(params.from.required).toBe(true);
    expect(params.interval.required).toBe(false);
    expect(params.interval.schema.enum).toEqual(['day', 'week', 'month']);
    expect(nps.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['total', 'points', 'source']));
    expect(Object.keys(nps.responses)).toEqual(expect.arrayContaining(['401', '403']));
    // A change needs the CSRF token even when any staff member may make it.
    expect(Object.keys(document.paths['/api/session'].delete.responses)).toEqual(expect.arrayContaining(['204', '401', '403']));
  });

  test('the reference page lists every operation, runs no script and loads nothing from elsewhere', async () => {
    const res = await fetch(`${hami.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|\ssrc=/i);
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const method of Object.keys(item))
        expect(html, `${method} ${path}`).toContain(`id="${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}"`);
    }
    expect(html).toContain('Authorization: Bearer');
    expect(html).toContain('customer');
  });
});
