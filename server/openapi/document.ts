import { z } from 'zod';
import { bodyLimitOf, bytesText } from '../limits/rules.js';
import { registeredOperations, registeredWebhooks, type Operation, type OperationResponse } from './registry.js';

/** A JSON Schema / OpenAPI object, as plain JSON. */
export type JsonObject = { [key: string]: unknown };

/** The one error body of the API (shared/api/errors.ts), as a schema for the document. */
export const apiErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('A stable machine-readable code, e.g. invalid_input, unauthorized, not_found'),
      message: z.string().describe('What went wrong, for a person'),
      field: z.string().optional().describe('The input at fault, as a dotted path (customer.id)'),
      fields: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .describe('Every input at fault when there are several (closing a case without reason and outcome); field names the first'),
    }),
  })
  .meta({ title: 'ApiError' });

/**
 * Request parts are described as zod *parses* them (io 'input': defaults optional, transforms' input side), answers as
 * the code *produces* them (io 'output'). OpenAPI 3.1's schema dialect is JSON Schema draft 2020-12, so zod's output
 * is used as is; a zod type with no JSON equivalent (a Date, a custom check) becomes an unconstrained schema rather
 * than failing the whole document.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodObject, where: 'path' | 'query'): JsonObject[] {
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const error = (description: string): OperationResponse => ({ description, schema: apiErrorBodySchema });

/** The answers every operation of its kind can give, added so each area lists only its own. */
function commonResponses(operation: Operation): Record<number, OperationResponse> {
  const common: Record<number, OperationResponse> = {};
  if (operation.params || operation.query || operation.body) common[400] = error('The input is not valid: `field` names the part at fault');
  if (operation.body)
    common[413] = error(`The body is larger than ${bytesText(bodyLimitOf(operation.path).maxBytes)} (code \`payload_too_large\`)`);
  if (operation.auth === 'apiKey') common[401] = error('No API key, or an unknown or revoked one');
  if (typeof operation.auth === 'object') {
    common[401] = error('Not signed in');
    const changes = operation.method !== 'get';
    if (operation.auth.staff || changes) {
      common[403] = error(
        [operation.auth.staff ? 'The role may not do this' : '', changes ? 'the X-CSRF-Token header is missing or wrong' : '']
          .filter(Boolean)
          .join(', or '),
      );
    }
  }
  return common;
}

function responseObject(response: OperationResponse): JsonObject {
  if (!response.schema && !response.contentType) return { description: response.description };
  const media = response.schema ? { schema: jsonSchemaOf(response.schema, 'output') } : {};
  return { description: response.description, content: { [response.contentType ?? 'application/json']: media } };
}

function securityOf(operation: Operation): JsonObject[] {
  if (operation.auth === 'none') return [];
  if (operation.auth === 'apiKey') return [{ apiKey: [] }];
  return [{ session: [] }];
}

function permissionNote(operation: Operation): string | undefined {
  if (typeof operation.auth !== 'object') return undefined;
  return operation.auth.staff ? `Staff permission: \`${operation.auth.staff}\`.` : 'Any signed-in staff member.';
}

function operationObject(operation: Operation): JsonObject {
  const parameters = [
    ...(operation.params ? parametersOf(operation.params, 'path') : []),
    ...(operation.query ? parametersOf(operation.query, 'query') : []),
  ];
  const responses: JsonObject = {};
  const all = { ...commonResponses(operation), ...operation.responses };
  for (const status of Object.keys(all)
    .map(Number)
    .sort((a, b) => a - b))
    responses[String(status)] = responseObject(all[status]!);
  const description = [operation.description, permissionNote(operation)].filter(Boolean).join('\n\n');
  return {
    operationId: operationIdOf(operation),
    tags: [operation.tag],
    summary: operation.summary,
    ...(description ? { description } : {}),
    security: securityOf(operation),
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { [operation.bodyType ?? 'application/json']: { schema: jsonSchemaOf(operation.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** get /api/callbacks/{id} → getApiCallbacksById: stable, unique, and readable in generated clients. */
function operationIdOf(operation: Pick<Operation, 'method' | 'path'>): string {
  const words = operation.path
    .split('/')
    .filter((part) => part && part !== 'api')
    .map((part) => (part.startsWith('{') ? `by-${part.slice(1, -1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return operation.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The OpenAPI 3.1 document of everything registered (server/openapi/registry.ts). */
export function buildOpenApiDocument(options: { version: string; serverUrl?: string }): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const operations = registeredOperations().sort((a, b) => a.path.localeCompare(b.path));
  for (const operation of operations) (paths[operation.path] ??= {})[operation.method] = operationObject(operation);

  const webhooks: Record<string, JsonObject> = {};
  for (const webhook of registeredWebhooks().sort((a, b) => a.name.localeCompare(b.name))) {
    webhooks[webhook.name] = {
      post: {
        operationId: `webhook${webhook.name.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase())}`,
        tags: ['Webhooks'],
        summary: webhook.name,
        description: webhook.description,
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(webhook.schema, 'output') } } },
        responses: { '2XX': { description: 'Received; any other answer (or none within the timeout) is retried' } },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Hami API',
      version: options.version,
      description:
        'NPS and satisfaction surveys that close the loop. Integrations send events with an API key (`Authorization: Bearer <key>`); ' +
        'the dashboard uses the staff API with a session cookie from `POST /api/session` and the `X-CSRF-Token` header on every change. ' +
        'Every error is `{ "error": { "code", "message", "field"? } }`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    ...(Object.keys(webhooks).length ? { webhooks } : {}),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key made in Settings, with `npx hami apikey create`, or listed in HAMI_API_KEYS',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'hami_session',
          description:
            "The staff session cookie set by POST /api/session. Requests that change state also send the session's csrfToken as X-CSRF-Token.",
        },
      },
    },
  };
}
