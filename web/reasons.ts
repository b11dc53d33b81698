import type { ReasonCategory } from '../shared/api/staff.js';

/**
 * The reason categories of shared/api/staff.ts, repeated here because importing a value from that module would
 * bundle zod (its validators run at module load). The two checks below fail the type check if the lists drift.
 */
export const REASONS = [
  'shipping_delay',
  'product_defect',
  'support_response',
  'billing_refund',
  'price',
  'website_app',
  'other',
] as const satisfies readonly ReasonCategory[];
type Missing = Exclude<ReasonCategory, (typeof REASONS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
