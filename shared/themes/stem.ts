/*
 * Light stemming for theme matching, English and Persian, on words as tokenize() leaves them (normalised: ZWNJ
 * dropped, Persian ی/ک, lower case). Light on purpose: no dictionary of roots, only the inflections that decide
 * whether a dictionary term is found ("delays", "delayed" → delay; "تاخیرها", "کیفیتش", "بسته‌بندیش" → تاخیر,
 * کیفیت, بسته‌بندی).
 *
 * A word of a comment is read as a small set of forms: itself and the word with one suffix removed (wordForms). A
 * dictionary term's word is reduced once, when the dictionary is compiled, to the form an admin would index under
 * (termForm: plural endings removed, so "delays" or "تاخیرها" as a term work). A comment's word matches a term's
 * word when one of its forms is the term's form. Asking "is one of its forms this term" rather than cutting every
 * word to one stem keeps words that only look inflected intact: "سفارش" (order) ends in the possessive ش, yet
 * stays سفارش, and "packaging" is not "package".
 */

const PERSIAN_LETTER = /[\u0600-\u06FF]/;

/**
 * Persian endings, longest first, with the shortest stem each may leave. Plural (ها، های، هایی; ان، ات of Arabic and
 * animate plurals), possessive (ام، ات، اش، مان، تان، شان and the spoken م، ت، ش), ezafe/indefinite (ی، ای، یی) and
 * comparative (تر، ترین), the spoken possessives (تون، شون، مون), and the spoken "is" and object marker (گرونه، پولمو). One-letter endings need a stem of three letters, so "دیرم" is دیر but "کم" stays کم.
 */
const PERSIAN_SUFFIXES: readonly (readonly [string, number])[] = (
  [
    ['هایشان', 2],
    ['هایتان', 2],
    ['هایمان', 2],
    ['هایش', 2],
    ['هایت', 2],
    ['هایم', 2],
    ['هایی', 2],
    ['های', 2],
    ['ها', 2],
    ['ترین', 2],
    ['تر', 2],
    ['هاتون', 2],
    ['هاشون', 2],
    ['هامون', 2],
    ['هامو', 2],
    ['هاشو', 2],
    ['شان', 2],
    ['تان', 2],
    ['مان', 2],
    ['شون', 2],
    ['تون', 2],
    ['مون', 2],
    ['یش', 3],
    ['یم', 3],
    ['یت', 3],
    ['اش', 2],
    ['ام', 3],
    ['ات', 3],
    ['ان', 3],
    ['ای', 3],
    ['یی', 3],
    ['ی', 3],
    ['ش', 3],
    ['م', 3],
    ['ت', 3],
    ['ه', 3],
    ['و', 3],
  ] as const
)
  .slice()
  .sort((a, b) => b[0].length - a[0].length);

/** English words whose -ing or -s is part of the word, not an inflection ("packaging" is not "package"). */
const ENGLISH_KEEP = new Set([
  'packaging',
  'shipping',
  'billing',
  'pricing',
  'clothing',
  'nothing',
  'something',
  'anything',
  'everything',
  'thing',
  'during',
  'morning',
  'evening',
  'this',
  'his',
  'has',
  'was',
  'is',
  'yes',
  'less',
  'unless',
  'always',
  'perhaps',
  'lately',
  'news',
  'series',
  'status',
  'bus',
  'plus',
  'us',
]);

const VOWEL = /[aeiouy]/;

function undouble(stem: string): string {
  // "shipped" → shipp → ship; but "called" keeps call, "missed" miss.
  return /([b-df-hj-km-np-rtv-z])\1$/.test(stem) && !/(ll|ss|zz|ff)$/.test(stem) ? stem.slice(0, -1) : stem;
}

function englishForms(word: string): string[] {
  const forms = [word];
  if (ENGLISH_KEEP.has(word) || word.length < 4) return forms;
  const add = (stem: string) => {
    if (stem.length >= 3 && VOWEL.test(stem) && !forms.includes(stem)) forms.push(stem);
  };
  const cut = (suffix: string) => (word.endsWith(suffix) ? word.slice(0, -suffix.length) : null);
  let stem: string | null;
  if ((stem = cut("'s"))) add(stem);
  if ((stem = cut('ies')) || (stem = cut('ied'))) add(`${stem}y`);
  if ((stem = cut('ily'))) add(`${stem}y`);
  if ((stem = cut('ing'))) {
    add(stem);
    add(`${stem}e`);
    add(undouble(stem));
  }
  if (!word.endsWith('eed') && (stem = cut('ed'))) {
    add(stem);
    add(`${stem}e`);
    add(undouble(stem));
  }
  if ((stem = cut('es'))) add(stem);
  if (!/(ss|us|is)$/.test(word) && (stem = cut('s'))) add(stem);
  if ((stem = cut('ly'))) add(stem);
  if ((stem = cut('er'))) add(undouble(stem));
  if ((stem = cut('est'))) add(undouble(stem));
  return forms;
}

function addPersianStems(word: string, forms: string[], depth: number): void {
  for (const [suffix, shortest] of PERSIAN_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= shortest) {
      const stem = word.slice(0, -suffix.length);
      if (forms.includes(stem)) continue;
      forms.push(stem);
      if (depth > 1) addPersianStems(stem, forms, depth - 1);
    }
  }
}

/**
 * The word with hamza on alef and on waw written plainly ("تأخیر" → تاخیر, "مؤدب" → مودب): many leave it out when
 * typing. normaliseText keeps them (elsewhere they tell words apart); for theme matching both spellings are one.
 */
export function withoutHamza(word: string): string {
  return word.replace(/[أؤ]/g, (c) => (c === 'أ' ? 'ا' : 'و'));
}

function persianForms(word: string): string[] {
  const forms = [word];
  // Two endings at most: a plural or ezafe under a possessive ("پشتیبانیتون", "تخفیف‌هاتون", "شیشه‌اش").
  addPersianStems(word, forms, 2);
  const plain = withoutHamza(word);
  if (plain !== word) {
    forms.push(plain);
    addPersianStems(plain, forms, 2);
  }
  return forms;
}

/**
 * The forms a comment's word may stand for: the word itself first, then the word without one inflectional suffix
 * (several when several endings fit: "کیفیتش" → کیفیتش, کیفیت; "delayed" → delayed, delay, delaye); in Persian two
 * endings may stack ("تخفیف‌هاتون" → … تخفیفها, تخفیف). Persian rules
 * for a word in Arabic script, English ones otherwise.
 */
export function wordForms(word: string): string[] {
  return PERSIAN_LETTER.test(word) ? persianForms(word) : englishForms(word);
}

/**
 * A dictionary term's word as it is indexed: plural endings removed so a term written in the plural ("delays",
 * "refunds", "تاخیرها", "هزینه‌ها") matches the singular and every other form too; anything else is kept as
 * written (terms are meant to be written in their plain form).
 */
export function termForm(word: string): string {
  if (PERSIAN_LETTER.test(word)) {
    for (const suffix of ['هایی', 'های', 'ها']) {
      if (word.endsWith(suffix) && word.length - suffix.length >= 2) return word.slice(0, -suffix.length);
    }
    return word;
  }
  if (ENGLISH_KEEP.has(word) || word.length < 4) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(sh|ch|x|ss|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
