import type { ThemeCandidate } from '../api/themes.js';
import { isKeyword } from '../keywords.js';
import { commentWords, compileThemes, type CompiledThemes } from './tagger.js';
import type { ThemeDefinition } from './theme.js';

/*
 * Candidate themes: the two- and three-word phrases that recur in recent comments and that no dictionary term
 * covers yet, for an admin to accept into the dictionary. Phrases are runs of consecutive words with no stop word
 * inside; the stop list is the keyword statistics' list of function words minus the words that carry a customer's
 * complaint: negation and time ("not", "never", "still", نبود، نه، هیچ، هنوز) stay, as do words such as late, slow,
 * دیر and سریع (never on the function-word list), so "still waiting" and "هنوز نرسیده" are found.
 */

export interface DiscoveryComment {
  text: string;
  locale: 'en' | 'fa';
  bucket: 'detractor' | 'passive' | 'promoter' | null;
}

interface DiscoveryOptions {
  /** Comments a phrase must appear in (default 3). */
  minCount?: number;
  /** How many candidates at most per language (default 20). */
  limit?: number;
  /** How many example comments per candidate (default 3). */
  examples?: number;
}

/** Function words that still say something about a complaint, kept in phrases. */
const KEPT = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'still',
  'too',
  'again',
  'without',
  'only',
  'against',
  'down',
  'off',
  'out',
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
  "couldn't",
  "can't",
  'cannot',
  'نه',
  'هیچ',
  'هنوز',
  'نیست',
  'نمیشه',
  'بعد',
  'قبل',
  'دیگه',
]);

function isPhraseWord(word: string): boolean {
  return isKeyword(word) || KEPT.has(word);
}

/** A phrase worth proposing has at least one word that is a keyword (not "not too", "هنوز هیچ"). */
function hasContent(words: readonly string[]): boolean {
  return words.some((w) => isKeyword(w));
}

/** The distinct two- and three-word phrases of one comment (within a clause: the break is no phrase word). */
function phrasesOf(text: string): Set<string> {
  const words = commentWords(text);
  const phrases = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 2; n <= 3 && i + n <= words.length; n++) {
      const run = words.slice(i, i + n);
      if (run.every(isPhraseWord) && hasContent(run)) phrases.add(run.join(' '));
    }
  }
  return phrases;
}

/**
 * Frequent phrases of `comments` not covered by `dictionary` (any of its themes, enabled or not: a switched-off
 * theme's words are not new), per language, each counted once per comment, most frequent first (then most
 * detractors, then alphabetically). A two-word phrase is left out when a three-word phrase containing it is as
 * frequent: the longer one says more.
 */
export function discoverCandidates(
  comments: readonly DiscoveryComment[],
  dictionary: readonly ThemeDefinition[] | CompiledThemes,
  options: DiscoveryOptions = {},
): ThemeCandidate[] {
  const { minCount = 3, limit = 20, examples = 3 } = options;
  const covering = 'covers' in dictionary ? dictionary : compileThemes(dictionary.map((t) => ({ ...t, enabled: true })));
  const found = new Map<string, ThemeCandidate>();
  for (const comment of comments) {
    for (const phrase of phrasesOf(comment.text)) {
      const key = `${comment.locale} ${phrase}`;
      let candidate = found.get(key);
      if (!candidate) found.set(key, (candidate = { phrase, locale: comment.locale, count: 0, detractors: 0, examples: [] }));
      candidate.count++;
      if (comment.bucket === 'detractor') candidate.detractors++;
      // Distinct: many customers send the same short sentence, and three copies of it tell the admin nothing more.
      if (candidate.examples.length < examples && !candidate.examples.includes(comment.text)) candidate.examples.push(comment.text);
    }
  }
  const frequent = [...found.values()].filter((c) => c.count >= minCount && !covering.covers(c.phrase));
  // The highest count of a three-word phrase each two-word phrase (its first or last two words) stands in.
  const inLonger = new Map<string, number>();
  for (const c of frequent) {
    const words = c.phrase.split(' ');
    if (words.length !== 3) continue;
    for (const part of [words.slice(0, 2), words.slice(1)]) {
      const key = `${c.locale} ${part.join(' ')}`;
      inLonger.set(key, Math.max(inLonger.get(key) ?? 0, c.count));
    }
  }
  const ranked = frequent
    .filter((c) => (inLonger.get(`${c.locale} ${c.phrase}`) ?? 0) < c.count)
    .sort((a, b) => b.count - a.count || b.detractors - a.detractors || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0));
  // The limit is per language: a shop with more Persian comments would otherwise never see an English candidate.
  const taken = { en: 0, fa: 0 };
  return ranked.filter((c) => taken[c.locale]++ < limit);
}
