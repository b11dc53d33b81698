import { operationKey, registeredOperations } from './registry.js';

/** A route as Hono lists it in `app.routes`. */
interface RouteEntry {
  method: string;
  path: string;
}

/** Hono's /api/callbacks/:id (or :id{[0-9]+}) as OpenAPI writes it: /api/callbacks/{id}. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}');
}

/**
 * The /api/ routes of `routes` that the document does not describe, as "METHOD /path". Middleware (method ALL) and
 * HEAD (answered by the GET) are not operations.
 */
export function undocumentedRoutes(routes: readonly RouteEntry[]): string[] {
  const documented = new Set(registeredOperations().map((o) => operationKey(o.method, o.path)));
  const missing = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.method === 'HEAD' || !route.path.startsWith('/api/')) continue;
    const key = operationKey(route.method, openApiPath(route.path));
    if (!documented.has(key)) missing.add(key);
  }
  return [...missing].sort();
}

/** Registered operations with no route behind them (a renamed or removed route whose registration stayed). */
export function staleOperations(routes: readonly RouteEntry[]): string[] {
  const served = new Set(routes.filter((r) => r.method !== 'ALL').map((r) => operationKey(r.method, openApiPath(r.path))));
  return registeredOperations()
    .map((o) => operationKey(o.method, o.path))
    .filter((key) => !served.has(key))
    .sort();
}
