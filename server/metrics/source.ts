import type { MetricsFilter } from '../../shared/api/metrics.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { attributeTextOf } from './contribution.js';

export type SourcePlan = { source: 'rollup'; dimension: string; value: string } | { source: 'scan' };

/**
 * Where the numbers for `filter` can come from. The rollups hold, per day, all responses (dimension '') and each
 * declared dimension on its own, so they answer a filter with no attribute, or with one attribute that every survey
 * in scope (the chosen one, or all) rolls up. Two attributes, or one some survey in scope does not roll up, need
 * the scan of responses by day: a combination is not in the rollups, and a missing survey's rows would be missing.
 */
export function planSource(filter: Pick<MetricsFilter, 'survey' | 'attributes'>, surveys: readonly SurveyDefinition[]): SourcePlan {
  const attributes = Object.entries(filter.attributes);
  if (attributes.length === 0) return { source: 'rollup', dimension: '', value: '' };
  if (attributes.length > 1) return { source: 'scan' };
  const [name, value] = attributes[0]!;
  const inScope = filter.survey === undefined ? surveys : surveys.filter((s) => s.id === filter.survey);
  const rolledUp = inScope.length > 0 && inScope.every((s) => s.dimensions.includes(name));
  return rolledUp ? { source: 'rollup', dimension: name, value } : { source: 'scan' };
}

/** Whether a response's attributes (its JSON text) carry every wanted NAME=VALUE, compared as the rollups do. */
export function matchesAttributes(attributesJson: string, wanted: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(wanted);
  if (entries.length === 0) return true;
  const attributes = JSON.parse(attributesJson) as Record<string, unknown>;
  return entries.every(([name, value]) => attributeTextOf(attributes, name) === value);
}
