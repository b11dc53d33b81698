import { UNKEEPABLE_NAME, UNKEEPABLE_NAME_RULE } from '../../shared/api/fields.js';

/*
 * Which CSV column feeds which Hami field. Headers are matched loosely (case, spaces, dashes and underscores
 * ignored) against each field's name and its common aliases; `--map "Order ID=id"` overrides or adds a match.
 * Consent columns (`consent.surveys`, `consent.marketing`, or e.g. Shopify's "Accepts Email Marketing") take yes/no.
 * Columns named `attr.NAME` (events: the event's attributes; customers: the customer's) and `customer.attr.NAME`
 * (events: the customer's attributes) carry attributes. Other columns are ignored and said so in `ignored`.
 */

interface FieldSpec {
  field: string;
  aliases: readonly string[];
  required?: boolean;
}

const CUSTOMER_FIELDS = (prefix: string, idAliases: readonly string[]): FieldSpec[] => [
  { field: `${prefix}id`, aliases: idAliases, required: true },
  { field: `${prefix}email`, aliases: ['email', 'e-mail', 'email address', 'customer email', 'mail'] },
  { field: `${prefix}phone`, aliases: ['phone', 'mobile', 'phone number', 'mobile number', 'cell', 'customer phone', 'tel'] },
  { field: `${prefix}name`, aliases: ['name', 'full name', 'customer name', 'client name'] },
  { field: `${prefix}locale`, aliases: ['locale', 'language', 'lang'] },
  { field: `${prefix}timeZone`, aliases: ['time zone', 'timezone', 'tz'] },
  // Consent as the API's customer.consent: yes/no (true/false, 1/0) per purpose; a "no" is enforced like the API's.
  { field: `${prefix}consent.surveys`, aliases: ['consent surveys', 'surveys consent', 'survey consent', 'accepts surveys'] },
  {
    field: `${prefix}consent.marketing`,
    aliases: ['consent marketing', 'marketing consent', 'accepts marketing', 'accepts email marketing'],
  },
];

const FIELDS: Record<'customers' | 'events', readonly FieldSpec[]> = {
  customers: CUSTOMER_FIELDS('', ['id', 'customer id', 'customer', 'client id', 'user id', 'external id']),
  events: [
    { field: 'type', aliases: ['type', 'event type', 'event'], required: true },
    { field: 'id', aliases: ['id', 'event id', 'order id', 'order', 'order number', 'ticket id', 'ticket', 'external id'], required: true },
    { field: 'occurredAt', aliases: ['occurred at', 'date', 'created at', 'order date', 'delivered at', 'solved at', 'timestamp', 'time'] },
    { field: 'sendAt', aliases: ['send at'] },
    ...CUSTOMER_FIELDS('customer.', ['customer id', 'customer', 'client id', 'user id']),
  ],
};

/** Lower case, without spaces, dashes, underscores and dots: "Order_ID", "order id" and "Order-Id" all match. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');
}

interface ColumnMapping {
  /** Column index → Hami field ('customer.email', 'attr.product', …). */
  columns: Map<number, string>;
  /** Headers nothing was mapped to. */
  ignored: string[];
}

export class MappingError extends Error {
  override name = 'MappingError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Parses `--map` values ("CSV header=field"); the header may itself hold '=' only before the last one. */
export function parseMapOptions(values: readonly string[], kind: 'customers' | 'events'): Map<string, string> {
  const known = new Set(FIELDS[kind].map((f) => f.field));
  const result = new Map<string, string>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const header = at > 0 ? value.slice(0, at).trim() : '';
    const field = at > 0 ? value.slice(at + 1).trim() : '';
    if (!header || !field) throw new MappingError(`"${value}" is not "CSV header=field"`, 'map');
    if (!known.has(field) && !isAttributeField(field, kind)) {
      throw new MappingError(`"${field}" is not a field of ${kind}: use one of ${[...known].join(', ')}, or attr.NAME`, 'map');
    }
    result.set(normalizeHeader(header), field);
  }
  return result;
}

function isAttributeField(field: string, kind: 'customers' | 'events'): boolean {
  const attribute = /^attr\.[^.\s][^\s]{0,63}$/.test(field) || (kind === 'events' && /^customer\.attr\.[^.\s][^\s]{0,63}$/.test(field));
  // Refused by name, not ignored: the row's attributes would drop it unseen (shared/api/fields.ts).
  if (attribute && field.endsWith(`attr.${UNKEEPABLE_NAME}`))
    throw new MappingError(`"${field}": the attribute name ${UNKEEPABLE_NAME_RULE}`, field);
  return attribute;
}

/** Maps the header line to fields: explicit `--map` entries first, then exact field names, then aliases. */
export function mapHeader(headers: readonly string[], kind: 'customers' | 'events', overrides: Map<string, string>): ColumnMapping {
  const specs = FIELDS[kind];
  const byName = new Map<string, string>();
  for (const spec of specs) byName.set(normalizeHeader(spec.field), spec.field);
  const byAlias = new Map<string, string>();
  for (const spec of specs)
    for (const alias of spec.aliases) if (!byAlias.has(normalizeHeader(alias))) byAlias.set(normalizeHeader(alias), spec.field);

  const columns = new Map<number, string>();
  const taken = new Set<string>();
  const ignored: string[] = [];
  const candidates = headers.map((header, index) => {
    const raw = header.trim();
    const key = normalizeHeader(raw);
    const attribute = /^(customer\.)?attr(ibutes)?\./i.exec(raw);
    if (overrides.has(key)) return { index, field: overrides.get(key)!, rank: 0 };
    if (attribute) {
      const field = `${attribute[1] ? 'customer.' : ''}attr.${raw.slice(attribute[0].length)}`;
      if (isAttributeField(field, kind)) return { index, field, rank: 0 };
    }
    if (byName.has(key)) return { index, field: byName.get(key)!, rank: 1 };
    if (byAlias.has(key)) return { index, field: byAlias.get(key)!, rank: 2 };
    return { index, field: null, rank: 3 };
  });
  // The better match wins a field two columns both could fill ("id" named exactly beats "Order ID" as an alias).
  for (const candidate of [...candidates].sort((a, b) => a.rank - b.rank || a.index - b.index)) {
    if (candidate.field && !taken.has(candidate.field)) {
      columns.set(candidate.index, candidate.field);
      taken.add(candidate.field);
    } else {
      ignored.push(headers[candidate.index]!);
    }
  }
  for (const spec of specs) {
    if (spec.required && !taken.has(spec.field)) {
      throw new MappingError(
        `no column for ${spec.field}: name one ${spec.aliases.map((a) => `"${a}"`).join(', ')}, or map it with --map "Your header=${spec.field}"`,
        spec.field,
      );
    }
  }
  return { columns, ignored };
}
