import type { z } from 'zod';
import type { CustomerInput, EventInput, EventSchemas } from '../../shared/api/events.js';
import type { ImportRowError } from '../../shared/api/imports.js';
import { toLatinDigits } from '../../shared/digits.js';

/*
 * One CSV row → the same input the events API takes, checked by the same zod schemas, so a row the API would
 * refuse is refused here with the same reason. The few conveniences a spreadsheet needs happen before the check:
 * empty cells are "not given", a date or date-time without an offset is UTC, and Persian or Arabic-Indic digits in
 * dates are read as digits. Phones are read by the schemas themselves, as the API reads them (0912…, +98 912…).
 */

export type Converted<T> = { ok: true; value: T } | { ok: false; errors: ImportRowError[] };

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/;

/** "2025-03-01" and "2025-03-01 10:30" (no offset) are read as UTC; anything else is left for the schema to judge. */
export function instantOf(text: string): string {
  const value = toLatinDigits(text.trim());
  if (LOCAL_DATE.test(value)) return `${value}T00:00:00Z`;
  const local = LOCAL_DATE_TIME.exec(value);
  if (local) return `${local[1]}T${local[2]}${local[3] ?? ':00'}Z`;
  return value;
}

/** yes/no, true/false, 1/0 (any case) as a boolean; anything else stays text for the schema to refuse by name. */
function yesNoOf(text: string): boolean | string {
  const value = toLatinDigits(text.trim()).toLowerCase();
  if (['yes', 'true', '1', 'y'].includes(value)) return true;
  if (['no', 'false', '0', 'n'].includes(value)) return false;
  return text.trim();
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Builds the nested object from mapped cells: 'customer.email' → {customer: {email}}, 'attr.x' → {attributes: {x}}. */
function objectOf(cells: readonly string[], columns: ReadonlyMap<number, string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [index, field] of columns) {
    const cell = cells[index];
    if (cell === undefined || cell.trim() === '') continue;
    const attr = /^(customer\.)?attr\.(.+)$/.exec(field);
    if (attr) {
      // Attribute values stay text exactly as written: "007" is not 7.
      setPath(result, [...(attr[1] ? ['customer'] : []), 'attributes', attr[2]!], cell);
      continue;
    }
    const name = field.split('.').pop()!;
    if (field.endsWith('consent.surveys') || field.endsWith('consent.marketing')) {
      setPath(result, field.split('.'), yesNoOf(cell));
      continue;
    }
    const value =
      name === 'occurredAt' || name === 'sendAt'
        ? instantOf(cell)
        : name === 'locale' || name === 'type'
          ? cell.trim().toLowerCase()
          : cell.trim();
    setPath(result, field.split('.'), value);
  }
  return result;
}

/** The zod issues as row errors, each naming the field by its dotted path. */
function rowErrors(row: number, error: z.ZodError): ImportRowError[] {
  return error.issues.map((issue) => {
    let path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') path = [...path, issue.keys[0]!];
    // Named as the CSV's columns name them: attributes.x → attr.x.
    const field = path.join('.').replace(/(^|\.)attributes(?=\.|$)/, '$1attr');
    return { row, field: field || '(row)', reason: issue.message, code: problemOf(issue) };
  });
}

/** The ImportRowError code of a zod issue: the field's own kind of problem where the issue says it. */
export function problemOf(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[issue.path.length - 1] ?? '');
  // zod reports a missing value as the wrong type: its own message says "received undefined", ours "is required".
  if (issue.code === 'invalid_type' && /received undefined|^is required$/.test(issue.message)) return 'required';
  if (name === 'phone' && (issue.code === 'custom' || issue.code === 'invalid_format')) return 'invalid_phone';
  if ((name === 'occurredAt' || name === 'sendAt') && (issue.code === 'custom' || issue.code === 'invalid_format')) return 'invalid_date';
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'invalid_email';
  return issue.code;
}

export function eventOfRow(
  schemas: EventSchemas,
  row: number,
  cells: readonly string[],
  columns: ReadonlyMap<number, string>,
): Converted<EventInput> {
  const parsed = schemas.eventInput.safeParse(objectOf(cells, columns));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: rowErrors(row, parsed.error) };
}

export function customerOfRow(
  schemas: EventSchemas,
  row: number,
  cells: readonly string[],
  columns: ReadonlyMap<number, string>,
): Converted<CustomerInput> {
  const parsed = schemas.customerInput.safeParse(objectOf(cells, columns));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: rowErrors(row, parsed.error) };
}
