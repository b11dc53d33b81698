import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';
import type { Executor } from './connect.js';

/*
 * Building a Kysely query (an immutable tree, frozen node by node) and compiling it to SQL costs more than SQLite
 * takes to run a small indexed statement. The hot paths (event ingest, imports, the answer page) run the same few
 * statements thousands of times with new values, so `prepared` builds each query once per SQL dialect with
 * placeholders where the values go, keeps the compiled SQL, and on each call only fills in the parameters. The
 * query stays written with Kysely's typed builder; the result rows are typed as the builder says.
 */

/** A placeholder value: a string no caller sends (it starts with a NUL character). */
const MARK = '\u0000hami-param:';

interface Compiled {
  query: CompiledQuery;
  /** Per SQL parameter: the caller's key to read, or a constant the query itself holds ('in' lists, literals). */
  slots: ({ key: string } | { constant: unknown })[];
}

interface PreparedQuery<P extends object, O> {
  /** All rows. */
  execute(db: Executor, params: P): Promise<O[]>;
  executeTakeFirst(db: Executor, params: P): Promise<O | undefined>;
  /** For writes: the number of rows changed. */
  run(db: Executor, params: P): Promise<number>;
}

/**
 * A query built once and run with new values. `build` receives a parameters object whose values are placeholders:
 * use them only as values (in `where`, `values`, `set`), never transform them (`p.email.toLowerCase()` belongs
 * to the caller). Keys whose value is undefined in a call are left out, so `values(p)` inserts the columns given;
 * each distinct set of keys is compiled once.
 */
export function prepared<P extends object, O>(build: (db: Executor, params: P) => Compilable<O>): PreparedQuery<P, O> {
  const cache = new Map<unknown, Map<string, Compiled>>();

  function compiled(db: Executor, params: P): { query: CompiledQuery; keys: Compiled['slots'] } {
    const values = params as Record<string, unknown>;
    const keys = Object.keys(values).filter((key) => values[key] !== undefined);
    // The SQL differs by dialect (? or $1) and by which columns a call gives.
    const dialect = db.getExecutor().adapter.constructor;
    let byKeys = cache.get(dialect);
    if (!byKeys) cache.set(dialect, (byKeys = new Map()));
    const shape = keys.join(',');
    let entry = byKeys.get(shape);
    if (!entry) {
      const placeholders = Object.fromEntries(keys.map((key) => [key, `${MARK}${key}`])) as P;
      const query = build(db, placeholders).compile();
      const slots = query.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARK) ? { key: value.slice(MARK.length) } : { constant: value },
      );
      for (const key of keys) {
        if (!slots.some((slot) => 'key' in slot && slot.key === key) && query.sql.includes(`${MARK}${key}`)) {
          throw new Error(`prepared query: ${key} was used as SQL text, not as a value`);
        }
      }
      entry = { query, slots };
      byKeys.set(shape, entry);
    }
    return { query: entry.query, keys: entry.slots };
  }

  async function executeQuery(db: Executor, params: P) {
    const { query, keys } = compiled(db, params);
    const values = params as Record<string, unknown>;
    const parameters = keys.map((slot) => ('key' in slot ? values[slot.key] : slot.constant));
    return db.executeQuery<O>({ query: query.query, sql: query.sql, parameters, queryId: createQueryId() });
  }

  return {
    async execute(db, params) {
      return (await executeQuery(db, params)).rows;
    },
    async executeTakeFirst(db, params) {
      return (await executeQuery(db, params)).rows[0];
    },
    async run(db, params) {
      return Number((await executeQuery(db, params)).numAffectedRows ?? 0n);
    },
  };
}
