import { toLatinDigits } from './digits.js';

/*
 * One form of a text for comparing and counting, in Persian and English alike: the keyword statistics count it and
 * comment search matches it, so a comment typed on an Arabic keyboard, with or without ZWNJ or diacritics, is
 * found by a query typed on a Persian one, and the other way round.
 */

/**
 * Letters folded one to one. Arabic yeh (ي) and alef maksura (ى) are Persian ی, Arabic kaf (ك) Persian ک (Arabic
 * keyboards give them; they look alike but compare unequal). Teh marbuta (ة) becomes ه and heh with hamza (ۀ) ه,
 * as Persian writers spell the same word both ways ("خانۀ"/"خانه", "علاقة"/"علاقه"). The typographic apostrophe is
 * the plain one ("don’t" = "don't"). Hamza forms of alef (أ إ) are kept: they tell words apart.
 */
export const LETTER_FOLDS: Readonly<Record<string, string>> = { ي: 'ی', ى: 'ی', ك: 'ک', ة: 'ه', ۀ: 'ه', '’': "'" };

/**
 * Characters dropped: Arabic diacritics (harakat U+064B–U+065F, superscript alef U+0670), tatweel (U+0640), and the
 * invisible marks: soft hyphen, zero-width space, ZWNJ, ZWJ, the bidi marks and embeddings (U+200E/F, U+202A–E,
 * U+2066–9, U+061C) and the byte-order mark. The zero-width non-joiner is dropped, not made a space, because half of
 * Persian keyboards have none: people write "کتاب‌ها" and "کتابها" for one word, and dropping it makes them equal
 * (a space would split "کتاب‌ها" into two words that "کتابها" never matches).
 */
export const DROPPED_CHARACTERS = '\u064B-\u065F\u0670\u0640\u00AD\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF';
const DROPPED = new RegExp(`[${DROPPED_CHARACTERS}]`, 'g');
const FOLDED = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/**
 * `text` in its compared form: Unicode NFKC (Arabic presentation forms and ligatures become plain letters, full-width
 * Latin plain Latin), LETTER_FOLDS applied, DROPPED_CHARACTERS removed, Persian and Arabic-Indic digits as 0–9,
 * lower case (toLowerCase: the same in every locale, so no Turkish dotless i), blanks collapsed to one space and
 * trimmed.
 */
export function normaliseText(text: string): string {
  return toLatinDigits(
    text
      .normalize('NFKC')
      .replace(FOLDED, (c) => LETTER_FOLDS[c]!)
      .replace(DROPPED, ''),
  )
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
