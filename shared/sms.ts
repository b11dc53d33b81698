import { withBrand } from './customer-messages.js';

/**
 * SMS length rules (pure, no I/O): which encoding a text needs and how many segments it costs.
 * A text that spills into a second segment costs double and, on some phones, arrives in pieces,
 * so survey texts are written (and tested) to fit one.
 */

type SmsEncoding = 'gsm7' | 'ucs2';

interface SmsSegments {
  encoding: SmsEncoding;
  /** GSM-7: septets (an extension character counts 2). UCS-2: UTF-16 code units (an emoji counts 2). */
  characters: number;
  segments: number;
}

// GSM 03.38 default alphabet, in table order. The escape code 0x1B is left out: it is not a character.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: each is sent as escape + code, so it takes two septets.
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

/** Single-segment and per-part capacities. A long message loses room in each part to the concatenation header. */
const LIMITS = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
} as const;

/** 'gsm7' when every character is in the GSM 03.38 basic set or its extension table, else 'ucs2'. */
export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) {
    if (!GSM_BASIC.has(char) && !GSM_EXTENSION.has(char)) return 'ucs2';
  }
  return 'gsm7';
}

/** How wide each character is in the chosen encoding, in the units that fill a segment. */
function widths(text: string, encoding: SmsEncoding): number[] {
  const result: number[] = [];
  for (const char of text) {
    // for…of walks code points: an astral character (emoji) is one step but two UTF-16 code units.
    result.push(encoding === 'gsm7' ? (GSM_EXTENSION.has(char) ? 2 : 1) : char.length);
  }
  return result;
}

/**
 * Encoding, length and segment count. Parts are packed the way gateways do: an extension character's
 * escape pair, or an emoji's surrogate pair, is never split across two parts, so a long text can need
 * one part more than a plain division suggests.
 */
export function smsSegments(text: string): SmsSegments {
  const encoding = smsEncoding(text);
  const sizes = widths(text, encoding);
  const characters = sizes.reduce((sum, n) => sum + n, 0);
  const limit = LIMITS[encoding];
  if (characters <= limit.single) return { encoding, characters, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limit.part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, characters, segments };
}

/** Puts the survey link into an SMS template: every `{link}` is replaced (the link is inserted literally). */
export function fillSmsTemplate(template: string, link: string): string {
  // split/join rather than String.replace: a `$&` or `$1` in a link must not be read as a replacement pattern.
  return template.split('{link}').join(link);
}

/**
 * A survey invitation's SMS: "{brand}: " in front (the customer sees who asks before any link), then the reminder
 * word for the one reminder, then the survey's text with the link. Counted whole by smsSegments: in Persian the 70
 * characters of one segment hold the brand name, ": ", the text and the link (PUBLIC_URL + 25 characters).
 */
export function invitationSmsText(input: { template: string; link: string; brandName: string | null; reminderPrefix?: string }): string {
  return withBrand(input.brandName, (input.reminderPrefix ?? '') + fillSmsTemplate(input.template, input.link));
}
