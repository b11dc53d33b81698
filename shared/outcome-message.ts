import type { Locale } from './locale.js';

const WORDING = {
  en: {
    subject: 'About your feedback',
    greeting: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    closing: 'Thank you for telling us. — The care team',
  },
  fa: {
    subject: 'درباره نظر شما',
    greeting: (name: string | null) => (name ? `${name} عزیز، سلام` : 'سلام،'),
    closing: 'از اینکه به ما گفتید سپاسگزاریم. — تیم پشتیبانی',
  },
} as const;

/**
 * The message a customer gets when their case is closed, whatever the result: the care person's own words,
 * framed in the customer's language. The dashboard shows exactly this as the preview.
 */
export function outcomeMessage(locale: Locale, customerName: string | null, outcome: string): { subject: string; text: string } {
  const w = WORDING[locale];
  return { subject: w.subject, text: `${w.greeting(customerName)}\n\n${outcome.trim()}\n\n${w.closing}` };
}
