import { tokenize } from '../keywords.js';
import { isNegated, isProblemWord } from './negation.js';
import { termForm, withoutHamza, wordForms } from './stem.js';
import type { ThemeDefinition, ThemeTagger } from './theme.js';

/*
 * The theme tagger: a comment mentions a theme when the words of one of its terms appear one after another in the
 * comment (after normaliseText, through tokenize), each comment word read through its light stems (stem.ts), the
 * longest of overlapping terms wins, and the mention is not denied (negation.ts). Built once per dictionary: terms are indexed by the form of their first word,
 * so tagging a comment is one map look-up per form of each of its words, and a comparison of the next few words for
 * the terms that start there; no regular expression per term.
 */

interface CompiledTerm {
  theme: number;
  /** The term's words in their indexed form (termForm). */
  words: string[];
  /** Contains a problem word: negation may deny it. */
  problem: boolean;
}

/** Stands between clauses in commentWords: it matches no term and ends every negation window. */
const CLAUSE_BREAK = '';
const CLAUSE_PUNCTUATION = /[.,;:!?\n\r،؛؟…]+/;

/**
 * The words of a comment as tokenize gives them, with CLAUSE_BREAK where punctuation ends a clause, so that "No,
 * it arrived late" is no denial and "late. Delivery…" no phrase.
 */
export function commentWords(text: string): string[] {
  const words: string[] = [];
  for (const clause of text.split(CLAUSE_PUNCTUATION)) {
    const clauseWords = tokenize(clause);
    if (clauseWords.length === 0) continue;
    if (words.length) words.push(CLAUSE_BREAK);
    words.push(...clauseWords);
  }
  return words;
}

/** A tagger that can also say which phrases its dictionary already covers (for candidate discovery). */
export interface CompiledThemes extends ThemeTagger {
  /** True when some term of any theme occurs in `text`, denied or not. */
  covers(text: string): boolean;
}

/** The indexed words of a term, and for a Persian term of two words also the two written as one ("بسته بندی" = "بسته‌بندی"). */
function termVariants(term: string): string[][] {
  const words = tokenize(term).map(termForm);
  if (words.length === 0) return [];
  const variants = [words];
  // A Persian compound is written with a space, a ZWNJ (dropped by normaliseText) or nothing: the same term.
  if (words.length === 2 && /[\u0600-\u06FF]/.test(words[0]!)) variants.push([termForm(words.join(''))]);
  // "تأخیر" and "تاخیر" are one term whichever way the dictionary and the comment spell it (see withoutHamza).
  const plain = words.map(withoutHamza);
  if (plain.some((w, i) => w !== words[i])) variants.push(plain);
  return variants;
}

function matchesAt(forms: string[][], at: number, term: CompiledTerm): boolean {
  for (let j = 1; j < term.words.length; j++) {
    const wordAt = forms[at + j];
    if (wordAt === undefined || !wordAt.includes(term.words[j]!)) return false;
  }
  return true;
}

/**
 * Compiles a dictionary into a tagger (enabled themes only). Call once per dictionary change; `tag` is then cheap
 * enough to run on every recorded answer.
 */
export function compileThemes(themes: readonly ThemeDefinition[]): CompiledThemes {
  const enabled = themes.filter((t) => t.enabled);
  const byFirstWord = new Map<string, CompiledTerm[]>();
  enabled.forEach((theme, index) => {
    for (const term of [...theme.terms.en, ...theme.terms.fa]) {
      for (const words of termVariants(term)) {
        const compiled: CompiledTerm = { theme: index, words, problem: words.some(isProblemWord) };
        const list = byFirstWord.get(words[0]!) ?? [];
        list.push(compiled);
        byFirstWord.set(words[0]!, list);
      }
    }
  });

  /**
   * Calls `found` for the terms found in `text`, left to right, until it returns true. Where terms overlap, the longest
   * wins and the words it covers start no other term: "user friendly" is the website's, not the staff's "friendly";
   * "cheaply made" is quality, not price's "cheap".
   */
  const scan = (text: string, found: (term: CompiledTerm, negated: () => boolean) => boolean): void => {
    const words = commentWords(text);
    const forms = words.map((word) => (word === CLAUSE_BREAK ? [] : wordForms(word)));
    for (let i = 0; i < words.length; ) {
      let longest: CompiledTerm[] = [];
      for (const form of forms[i]!) {
        for (const term of byFirstWord.get(form) ?? []) {
          const length = longest[0]?.words.length ?? 0;
          if (term.words.length < length || !matchesAt(forms, i, term)) continue;
          longest = term.words.length > length ? [term] : [...longest, term];
        }
      }
      if (longest.length === 0) {
        i++;
        continue;
      }
      const end = i + longest[0]!.words.length;
      const at = i;
      for (const term of longest) if (found(term, () => isNegated(words, at, end, term.problem))) return;
      i = end;
    }
  };

  return {
    tag(text: string): string[] {
      const mentioned = new Set<number>();
      scan(text, (term, negated) => {
        if (!mentioned.has(term.theme) && !negated()) mentioned.add(term.theme);
        return mentioned.size === enabled.length;
      });
      return [...mentioned].map((index) => enabled[index]!.id).sort();
    },
    covers(text: string): boolean {
      let covered = false;
      scan(text, () => (covered = true));
      return covered;
    },
  };
}
