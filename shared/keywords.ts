import { normaliseText } from './text-normal.js';

/*
 * The words detractors use most, for the overview's "why" panel. A plain frequency count over a tokenizer that
 * understands Persian as well as English: no stemming, no language guess, just text cleaned the same way each time.
 */

// Function words that say nothing about the reason; the lists are short on purpose (a domain word must survive).
const ENGLISH = `a about above after again against all am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from
further had hadn't has hasn't have haven't having he her here hers herself him himself his how i i'd i'll i'm i've if in
into is isn't it it's its itself just let's me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should shouldn't so some such than that that's the their theirs them themselves then
there there's these they they're this those through to too under until up us very was wasn't we we're were weren't what
when where which while who whom why will with won't would wouldn't you you're your yours yourself yourselves also get got
really still even ok okay`;
// Persian, written as the tokenizer leaves it (no ZWNJ, Persian ی and ک).
const PERSIAN = `و در به از که این آن را رو با است هست نیست بود بودم بودند شد شده شدم برای تا هم یا اما ولی اگر چون پس
یک من ما تو شما او اون ایشان آنها اینها خود خودم هر همه هیچ چه چی چیزی کسی خیلی بسیار فقط هنوز دیگر دیگه بعد قبل وقتی
باید نه بله می نمی ها های ای ام ات اش کرد کردم کردن کردند کنم کنید کند کنند کرده داشت داشتم دارم دارد دارید داره
روی بر زیر بین مثل نیز حتی الان اینکه آنکه چرا کجا کی چطور چند هستم هستند باشد بشه شود میشه نمیشه`;

const STOP_WORDS = new Set([...ENGLISH.split(/\s+/), ...PERSIAN.split(/\s+/).map(normaliseText)].filter(Boolean));

/**
 * The words of a text as normaliseText leaves it (NFKC, digits as 0–9, Arabic ي/ك as Persian ی/ک, diacritics,
 * kashida and ZWNJ dropped, lower case), so "می‌خواهم" and "میخواهم" (many keyboards have no ZWNJ) are one word.
 * Words are runs of letters, marks, digits and apostrophes; everything else separates them.
 */
export function tokenize(text: string): string[] {
  const words = normaliseText(text).match(/[\p{L}\p{M}\p{N}']+/gu) ?? [];
  return words.map((w) => w.replace(/^'+|'+$/g, '')).filter((w) => w !== '');
}

/** A word worth counting: not a stop word, not a bare number, at least two characters. */
export function isKeyword(word: string): boolean {
  return [...word].length >= 2 && !/^\d+$/.test(word) && !STOP_WORDS.has(word);
}

/**
 * The `limit` most frequent keywords of `texts`, each counted once per text that uses it (one long rant that
 * repeats a word ten times is one customer), most frequent first, ties in alphabetical order.
 */
export function topKeywords(texts: Iterable<string>, limit = 20): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of new Set(tokenize(text).filter(isKeyword))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, limit);
}
