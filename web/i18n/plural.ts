import type { Locale } from '../../shared/locale.js';
import { formatNumber } from './format.js';

/** The forms of one counted phrase; `#` stands for the number. `other` is the form every language has. */
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<Locale, Intl.PluralRules>();

/**
 * "1 case", "2 cases" / "۱ پرونده", "۲ پرونده": the form chosen by the language's plural rules (CLDR, through
 * Intl.PluralRules), the number written in the language's digits.
 */
export function countText(locale: Locale, count: number, forms: PluralForms): string {
  let rule = rules.get(locale);
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  const form = forms[rule.select(count)] ?? forms.other;
  return form.replace('#', formatNumber(count, locale));
}
