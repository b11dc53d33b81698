/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { JsonObject } from './document.js';

/*
 * The API reference at /api/docs: the OpenAPI document rendered on the server as plain HTML (no script, no CDN, so
 * it works offline and under a CSP that allows only our nonce'd style). Schemas are shown as nested field lists.
 */

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2327;max-width:72rem;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #dde3e8;padding-bottom:.2rem;margin-top:2.5rem}
nav ul{columns:2;list-style:none;padding:0}nav a{text-decoration:none}
section.op{border:1px solid #dde3e8;border-radius:8px;padding:.6rem 1rem;margin:1rem 0}
.op h3{margin:.2rem 0;font-size:1.05rem;font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.m{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.85rem;padding:0 .3rem;margin-right:.4rem}
.get{background:#1f6f43}.post{background:#1e5aa8}.put,.patch{background:#8a5a00}.delete{background:#a12a2a}
.auth{color:#555;font-size:.9rem}code,.t{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.t{color:#6b4fa0}.req{color:#a12a2a;font-size:.8rem}ul.s{margin:.2rem 0;padding-left:1.2rem}ul.s li{margin:.1rem 0}
table{border-collapse:collapse;width:100%;margin:.3rem 0}td,th{border-top:1px solid #eef1f4;text-align:left;padding:.25rem .4rem;vertical-align:top}
.st{font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace}.d{color:#444}
`;

const asObject = (value: unknown): JsonObject => (value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A one-line type: "string (email)", "one of: a, b", "array of object", "integer 1…10". */
function typeLabel(schema: JsonObject): string {
  if ('const' in schema) return `exactly ${JSON.stringify(schema.const)}`;
  if (Array.isArray(schema.enum)) return `one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const variants = asArray(schema.anyOf ?? schema.oneOf);
  if (variants.length) return variants.map((v) => typeLabel(asObject(v))).join(' or ');
  let type = Array.isArray(schema.type) ? schema.type.join(' or ') : typeof schema.type === 'string' ? schema.type : 'any';
  if (type === 'array') type = `array of ${typeLabel(asObject(schema.items))}`;
  const notes: string[] = [];
  if (typeof schema.format === 'string') notes.push(schema.format);
  // A format (date-time, email) says it better than zod's long regular expression for it.
  else if (typeof schema.pattern === 'string') notes.push(`pattern ${schema.pattern}`);
  const low = schema.minimum ?? schema.minLength ?? schema.minItems;
  const high = schema.maximum ?? schema.maxLength ?? schema.maxItems;
  if (low !== undefined || high !== undefined) notes.push(`${low ?? ''}…${high ?? ''}`);
  if ('default' in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes.length ? `${type} (${notes.join(', ')})` : type;
}

/** The fields of an object schema (or of the object inside an array/union), nested; nothing for a scalar. */
function Fields(props: { schema: JsonObject; depth?: number }): Child {
  const depth = props.depth ?? 0;
  let schema = props.schema;
  if (schema.type === 'array') schema = asObject(schema.items);
  const variants = asArray(schema.anyOf ?? schema.oneOf)
    .map(asObject)
    .filter((v) => v.properties);
  if (variants.length && depth < 6)
    return (
      <>
        {variants.map((v) => (
          <Fields schema={v} depth={depth + 1} />
        ))}
      </>
    );
  const properties = asObject(schema.properties);
  const required = new Set(asArray(schema.required));
  const additional = asObject(schema.additionalProperties);
  if (!Object.keys(properties).length && !Object.keys(additional).length) return null;
  return (
    <ul class="s">
      {Object.entries(properties).map(([name, value]) => {
        const property = asObject(value);
        return (
          <li>
            <code>{name}</code> <span class="t">{typeLabel(property)}</span>
            {required.has(name) ? <span class="req"> required</span> : null}
            {typeof property.description === 'string' ? <span class="d"> — {property.description}</span> : null}
            {depth < 6 ? <Fields schema={property} depth={depth + 1} /> : null}
          </li>
        );
      })}
      {Object.keys(additional).length ? (
        <li>
          <code>{'{any name}'}</code> <span class="t">{typeLabel(additional)}</span>
        </li>
      ) : null}
    </ul>
  );
}

function Schema(props: { schema: JsonObject }) {
  return (
    <>
      <span class="t">{typeLabel(props.schema)}</span>
      {typeof props.schema.description === 'string' ? <span class="d"> — {props.schema.description}</span> : null}
      <Fields schema={props.schema} />
    </>
  );
}

function Content(props: { content: unknown }) {
  return (
    <>
      {Object.entries(asObject(props.content)).map(([type, media]) => (
        <div>
          <code>{type}</code> {asObject(media).schema ? <Schema schema={asObject(asObject(media).schema)} /> : null}
        </div>
      ))}
    </>
  );
}

function authLabel(security: unknown): string {
  const schemes = asArray(security).flatMap((s) => Object.keys(asObject(s)));
  if (schemes.includes('apiKey')) return 'API key: Authorization: Bearer <key>';
  if (schemes.includes('session')) return 'Staff session cookie (and X-CSRF-Token for changes)';
  return 'No authentication';
}

const anchorOf = (method: string, path: string) => `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

function OperationView(props: { method: string; path: string; op: JsonObject }) {
  const { op } = props;
  const parameters = asArray(op.parameters).map(asObject);
  return (
    <section class="op" id={anchorOf(props.method, props.path)}>
      <h3>
        <span class={`m ${props.method}`}>{props.method.toUpperCase()}</span>
        {props.path}
      </h3>
      <p>
        <strong>{String(op.summary ?? '')}</strong> <span class="auth">· {authLabel(op.security)}</span>
      </p>
      {typeof op.description === 'string' ? op.description.split('\n\n').map((p) => <p class="d">{p}</p>) : null}
      {parameters.length ? (
        <>
          <h4>Parameters</h4>
          <table>
            <tbody>
              {parameters.map((p) => (
                <tr>
                  <td>
                    <code>{String(p.name)}</code> <span class="auth">{String(p.in)}</span>
                    {p.required ? <span class="req"> required</span> : null}
                  </td>
                  <td>
                    <Schema schema={asObject(p.schema)} />
                    {typeof p.description === 'string' ? <span class="d"> — {p.description}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {op.requestBody ? (
        <>
          <h4>Request body</h4>
          <Content content={asObject(op.requestBody).content} />
        </>
      ) : null}
      <h4>Responses</h4>
      <table>
        <tbody>
          {Object.entries(asObject(op.responses)).map(([status, response]) => (
            <tr>
              <td class="st">{status}</td>
              <td>
                {String(asObject(response).description ?? '')}
                <Content content={asObject(response).content} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The whole reference: operations grouped by tag in the document's order, then the webhooks Hami sends. */
export function ApiDocsPage(props: { document: JsonObject; nonce: string }) {
  const info = asObject(props.document.info);
  const byTag = new Map<string, { method: string; path: string; op: JsonObject }[]>();
  for (const [path, item] of Object.entries(asObject(props.document.paths))) {
    const methods = Object.keys(asObject(item)).sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const method of methods) {
      const op = asObject(asObject(item)[method]);
      const tag = String(asArray(op.tags)[0] ?? 'Other');
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const webhooks = Object.entries(asObject(props.document.webhooks));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${String(info.title ?? 'API')} reference`}</title>
        <style nonce={props.nonce}>{STYLE}</style>
      </head>
      <body>
        <h1>{String(info.title ?? 'API')} reference</h1>
        <p class="auth">
          Version {String(info.version ?? '')} · OpenAPI {String(props.document.openapi)} document:{' '}
          <a href="/api/openapi.json">/api/openapi.json</a>
        </p>
        <p>{String(info.description ?? '')}</p>
        <nav>
          <ul>
            {[...byTag].map(([tag]) => (
              <li>
                <a href={`#tag-${tag.replace(/[^A-Za-z0-9]+/g, '-')}`}>{tag}</a>
              </li>
            ))}
            {webhooks.length ? (
              <li>
                <a href="#webhooks">Webhooks Hami sends</a>
              </li>
            ) : null}
          </ul>
        </nav>
        {[...byTag].map(([tag, ops]) => (
          <>
            <h2 id={`tag-${tag.replace(/[^A-Za-z0-9]+/g, '-')}`}>{tag}</h2>
            {ops.map((o) => (
              <OperationView {...o} />
            ))}
          </>
        ))}
        {webhooks.length ? (
          <>
            <h2 id="webhooks">Webhooks Hami sends</h2>
            {webhooks.map(([name, item]) => (
              <OperationView method="post" path={name} op={asObject(asObject(item).post)} />
            ))}
          </>
        ) : null}
      </body>
    </html>
  );
}
