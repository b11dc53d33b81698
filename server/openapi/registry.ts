import type { z } from 'zod';
import type { Permission } from '../../shared/permissions.js';

/**
 * The operations of the HTTP API, declared by each area next to its routes; /api/openapi.json and /api/docs are
 * built from this registry, and test/integration/openapi.test.ts fails for any /api/ route that is not in it.
 *
 * Register at the top level of the area's routes file (it runs once, when app.tsx imports the file), using the
 * SAME zod schemas the route validates with, so the document cannot drift from the code:
 *
 * ```ts
 * import { registerOperations } from '../openapi/registry.js';
 *
 * registerOperations({
 *   method: 'post',
 *   path: '/api/keys',                 // OpenAPI style: {id}, not :id
 *   tag: 'API keys',
 *   summary: 'Create an API key',
 *   description: 'The key is in the answer once; only its hash is kept.',  // optional, markdown
 *   auth: { staff: 'keys:manage' },   // or 'apiKey', 'none', { staff: null } (any signed-in staff member)
 *   params: z.object({ id: z.string() }),           // path parameters, optional
 *   query: z.object({ limit: z.string().optional() }), // query parameters, optional (one level of fields)
 *   body: apiKeyInput,                 // request body (JSON unless bodyType says otherwise), optional
 *   responses: { 201: { description: 'The new key', schema: createdApiKeyBody } },
 * });
 * ```
 *
 * 400 (when there are params/query/body), 401 and 403 (from `auth`) with the error body are added for you;
 * list only the answers the route itself gives (and a 404/409 when it has them).
 *
 * Webhooks Hami sends (OpenAPI 3.1 top-level `webhooks`):
 * `registerWebhook('response.created', responseCreatedPayload, 'Sent when a customer answers …')`.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: 'none' (public, or authenticated some other way the description explains — e.g. a signature),
 * 'apiKey' (Authorization: Bearer <api key>), or a staff session with a permission (null: any signed-in staff).
 */
export type OperationAuth = 'none' | 'apiKey' | { staff: Permission | null };

export interface OperationResponse {
  description: string;
  /** The body's schema; omit for an empty body (204) or a body not described by a schema. */
  schema?: z.ZodType;
  /** 'application/json' unless given (e.g. 'text/csv', 'text/html'). */
  contentType?: string;
}

export interface Operation {
  method: HttpMethod;
  /** The full path as OpenAPI writes it: /api/callbacks/{id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: OperationAuth;
  /** Path parameters: an object whose keys are the {names} in `path`. */
  params?: z.ZodObject;
  /** Query parameters: an object of (optional) string-valued fields. */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The request body's media type: 'application/json' unless given (e.g. 'multipart/form-data', 'text/csv'). */
  bodyType?: string;
  responses: Record<number, OperationResponse>;
}

interface Webhook {
  /** The event name, e.g. 'response.created'. */
  name: string;
  description: string;
  /** The JSON body Hami POSTs. */
  schema: z.ZodType;
}

const operations = new Map<string, Operation>();
const webhooks = new Map<string, Webhook>();

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Adds operations to the API document. Registering the same method and path twice is a mistake and throws. */
export function registerOperations(...list: Operation[]): void {
  for (const operation of list) {
    const key = operationKey(operation.method, operation.path);
    if (operations.has(key)) throw new Error(`OpenAPI: ${key} is registered twice`);
    if (operation.path.includes(':')) throw new Error(`OpenAPI: write ${operation.path} with {braces}, not :colons`);
    operations.set(key, operation);
  }
}

/** Documents a webhook Hami sends (OpenAPI 3.1 `webhooks`). */
export function registerWebhook(name: string, schema: z.ZodType, description: string): void {
  if (webhooks.has(name)) throw new Error(`OpenAPI: webhook ${name} is registered twice`);
  webhooks.set(name, { name, schema, description });
}

export function registeredOperations(): Operation[] {
  return [...operations.values()];
}

export function registeredWebhooks(): Webhook[] {
  return [...webhooks.values()];
}
