import { withBrand } from './customer-messages.js';
import type { Locale } from './locale.js';

const WORDING = {
  en: {
    subject: 'About your feedback',
    greeting: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    closing: (brand: string | null) => `Thank you for telling us. — The ${brand ? `${brand} ` : ''}care team`,
  },
  fa: {
    subject: 'درباره نظر شما',
    greeting: (name: string | null) => (name ? `${name} عزیز، سلام` : 'سلام،'),
    closing: (brand: string | null) => `از اینکه به ما گفتید سپاسگزاریم. — تیم پشتیبانی${brand ? ` ${brand}` : ''}`,
  },
} as const;

/**
 * The message a customer gets when their case is closed, whatever the result: the care person's own words,
 * framed in the customer's language and signed with the company's name (HAMI_BRAND_NAME, in that language) when
 * there is one. The dashboard shows exactly this as the preview, with the name the session tells it.
 */
export function outcomeMessage(
  locale: Locale,
  customerName: string | null,
  outcome: string,
  brandName: string | null,
): { subject: string; text: string } {
  const w = WORDING[locale];
  return { subject: withBrand(brandName, w.subject), text: `${w.greeting(customerName)}\n\n${outcome.trim()}\n\n${w.closing(brandName)}` };
}

/**
 * The channel a case's outcome goes out on: the one the customer was surveyed on when it still has an address,
 * else email, else SMS; null when the customer has neither. One rule for the job that sends it and for the case
 * page that says where it went.
 */
export function outcomeChannel(customer: { surveyedBy: string; email: string | null; phone: string | null }): 'email' | 'sms' | null {
  if (customer.surveyedBy === 'sms' && customer.phone) return 'sms';
  if (customer.email) return 'email';
  return customer.phone ? 'sms' : null;
}
