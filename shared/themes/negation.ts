import { wordForms } from './stem.js';

/*
 * Negation, for the obvious cases only: "not late", "wasn't late", "never late", "no delay", "without any damage",
 * "nothing was broken", "no problems with the delivery"; "دیر نبود", "دیر نرسید", "تاخیر نداشت", "بدون تاخیر",
 * "هیچ مشکلی نبود", "نه گران". A comment that only denies a problem does not raise the theme. Themes are topics, not
 * sentiment ("fast delivery" is the delivery theme), so negation cancels a mention only where denying it denies a
 * problem:
 *
 * - a problem word (late, broken, expensive, rude…, دیر، خراب، گران…) preceded by a negator, with at most a few
 *   filler words between ("not late at all", "without any damage", "بدون هیچ تاخیری");
 * - any term preceded by a negator and a problem noun then "with"/"about" ("no issues with delivery", "no complaints
 *   about the staff"); "not good quality" or "no refund" stay mentions (good is no filler; refund no problem word);
 * - in Persian, where the verb comes last: a problem word followed, after at most two fillers, by a negative verb of
 *   being, having or arriving ("دیر نبود", "خراب نرسید", "تاخیر نداشت"), or any term followed within three words by
 *   هیچ and a problem noun, or a problem noun and a negative verb ("ارسال هیچ مشکلی نداشت", "ارسال مشکلی نداشت"); in English the same
 *   after the term: "delivery wasn't an issue". "سفارشم نرسید" is still a mention: سفارش is no problem word.
 *
 * Everything is a short window of words around the term, within its clause (punctuation ends a window, so "No, it
 * arrived late" is a mention): explainable, and wrong in the rare long sentence.
 */

/** How many words before a term a negator may stand ("not at all late" is three). */
const WINDOW = 4;

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'without',
  'nothing',
  'none',
  'nor',
  'zero',
  'neither',
  "wasn't",
  "weren't",
  "isn't",
  "aren't",
  "didn't",
  "don't",
  "doesn't",
  "won't",
  "hasn't",
  "haven't",
  "hadn't",
  "couldn't",
  "wouldn't",
  'wasnt',
  'werent',
  'isnt',
  'arent',
  'didnt',
  'dont',
  'doesnt',
  'wont',
  'hasnt',
  'havent',
  'couldnt',
  'بدون',
  'نه',
  'هیچ',
  'بیهیچ',
]);

/** Words that may stand between a negator and the problem word it denies. */
const FILLERS = new Set([
  'a',
  'an',
  'the',
  'any',
  'at',
  'all',
  'so',
  'too',
  'very',
  'really',
  'even',
  'single',
  'bit',
  'one',
  'once',
  'much',
  'was',
  'were',
  'is',
  'are',
  'be',
  'been',
  'it',
  'get',
  'got',
  'have',
  'had',
  'to',
  'my',
  'our',
  'your',
  'of',
  'real',
  'arrive',
  'come',
  'look',
  'seem',
  'feel',
  'هیچ',
  'گونه',
  'اصلا',
  'اصلاً',
  'هم',
  'که',
  'یک',
  'یه',
  'نوع',
  'خیلی',
  'زیاد',
  'دیگه',
  'بود',
  'هست',
  'شد',
]);

/** Nouns of complaint: "no problems with …", "هیچ مشکلی …". */
const PROBLEM_NOUNS = new Set(['problem', 'issue', 'complaint', 'trouble', 'مشکل', 'ایراد', 'گله', 'شکایت']);
const LINKS = new Set(['with', 'about', 'on', 'regarding', 'in', 'for', 'با', 'در', 'از', 'توی', 'تو', 'بابت', 'درمورد']);

/**
 * Problem words: a term containing one is a complaint, so a negator before or (in Persian) a negative verb after it
 * denies the complaint. Written in the forms wordForms gives.
 */
const PROBLEM_WORDS = new Set([
  'late',
  'delay',
  'slow',
  'wait',
  'damage',
  'broken',
  'broke',
  'break',
  'dent',
  'scratch',
  'crack',
  'crush',
  'leak',
  'torn',
  'smash',
  'expensive',
  'overprice',
  'overpriced',
  'pricey',
  'costly',
  'rude',
  'impolite',
  'unfriendly',
  'defect',
  'defective',
  'faulty',
  'wrong',
  'missing',
  'error',
  'bug',
  'crash',
  'problem',
  'issue',
  'mistake',
  'دیر',
  'تاخیر',
  'تأخیر',
  'کند',
  'معطل',
  'خراب',
  'شکسته',
  'آسیب',
  'داغون',
  'له',
  'ضربه',
  'گران',
  'گرون',
  'بیادب',
  'بداخلاق',
  'بیاحترامی',
  'اشتباه',
  'ناقص',
  'معیوب',
  'ایراد',
  'مشکل',
  'خطا',
  'باگ',
  'گرانتر',
]);

/** Persian negative verbs that deny the problem word just before them (نبود، نیست، نداشت، ندیده، نرسید، نیومد…). */
const NEGATIVE_VERB = /^(نبود|نیست|نداشت|ندار|نشد|نشده|ندید|نرسید|نرسیده|نیامد|نیومد|نخورده|نبوده)/;

/** Whether, from words[at], a problem noun follows after at most two fillers ("an issue", "a problem at all"). */
function deniesProblem(words: readonly string[], at: number): boolean {
  for (let i = at; i < words.length && i < at + 3; i++) {
    if (isProblemNoun(words[i]!)) return true;
    if (!FILLERS.has(words[i]!)) return false;
  }
  return false;
}

export function isProblemWord(word: string): boolean {
  return wordForms(word).some((form) => PROBLEM_WORDS.has(form));
}

function isProblemNoun(word: string): boolean {
  return wordForms(word).some((form) => PROBLEM_NOUNS.has(form));
}

/**
 * Whether the mention of a term at words[start] … words[end - 1] is denied. `problem`: the term contains a problem
 * word (computed once per term when the dictionary is compiled).
 */
export function isNegated(words: readonly string[], start: number, end: number, problem: boolean): boolean {
  // Before the term: walk back over fillers (and "problems with") to a negator.
  let sawProblemLink = false;
  for (let i = start - 1; i >= 0 && i >= start - WINDOW; i--) {
    const word = words[i]!;
    if (NEGATORS.has(word)) {
      if (problem || sawProblemLink) return true;
      // "هیچ" or "no" right before a non-problem topic is no denial ("no refund"): keep looking is pointless.
      return false;
    }
    if (LINKS.has(word) && i > 0 && isProblemNoun(words[i - 1]!)) {
      sawProblemLink = true;
      continue;
    }
    if (isProblemNoun(word) && sawProblemLink) continue;
    if (!FILLERS.has(word)) break;
  }
  // After the term (Persian word order): a negative verb for a problem word, or "هیچ مشکلی" for any term.
  for (let i = end, skipped = 0; i < words.length && i < end + 3; i++) {
    const word = words[i]!;
    if (problem && NEGATIVE_VERB.test(word)) return true;
    if (word === 'هیچ' && i + 1 < words.length && isProblemNoun(words[i + 1]!)) return true;
    if (isProblemNoun(word) && i + 1 < words.length && NEGATIVE_VERB.test(words[i + 1]!)) return true;
    // "delivery wasn't an issue", "price was not a problem".
    if (NEGATORS.has(word) && deniesProblem(words, i + 1)) return true;
    if (!FILLERS.has(word) || ++skipped > 2) break;
  }
  return false;
}
