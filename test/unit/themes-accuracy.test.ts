import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BUILT_IN_THEMES } from '../../shared/themes/built-in.js';
import { evaluateTagger, type LabelledComment } from '../../shared/themes/evaluate.js';
import { compileThemes } from '../../shared/themes/tagger.js';

/*
 * The built-in dictionary against comments a person labelled (test/fixtures/themes; see its README for how they were
 * labelled). Precision is the target (≥ 0.8 per theme with enough labelled comments to say); recall is held to a floor
 * well below what it measures now (0.77–1.0 per theme), so a change that loses many mentions fails.
 */

const load = (name: string): LabelledComment[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/themes/${name}.json`, import.meta.url), 'utf8')) as LabelledComment[];
const tagger = compileThemes(BUILT_IN_THEMES);
const ENOUGH = 10;

describe.each(['en', 'fa'])('the built-in themes on the %s comments', (locale) => {
  const comments = load(locale);
  const rows = evaluateTagger(tagger, comments);

  test('there are at least 300 labelled comments, some with no theme and some with two', () => {
    expect(comments.length).toBeGreaterThanOrEqual(300);
    expect(comments.filter((c) => c.themes.length === 0).length).toBeGreaterThan(30);
    expect(comments.filter((c) => c.themes.length === 2).length).toBeGreaterThan(30);
  });

  test.each(BUILT_IN_THEMES.map((t) => t.id))('%s: precision ≥ 0.8 and recall ≥ 0.7', (theme) => {
    const row = rows.find((r) => r.theme === theme)!;
    expect(row.support).toBeGreaterThanOrEqual(ENOUGH);
    expect(row.precision).toBeGreaterThanOrEqual(0.8);
    expect(row.recall).toBeGreaterThanOrEqual(0.7);
  });

  test('on the comments written after the dictionary was fixed, precision over all themes stays ≥ 0.8', () => {
    const heldOut = evaluateTagger(tagger, load(`${locale}.held-out`));
    const tagged = heldOut.reduce((sum, r) => sum + r.tagged, 0);
    const correct = heldOut.reduce((sum, r) => sum + r.correct, 0);
    expect(correct / tagged).toBeGreaterThanOrEqual(0.8);
  });
});

describe('evaluateTagger', () => {
  test('counts precision, recall and support per theme', () => {
    const fake = { tag: (text: string) => (text.includes('late') ? ['delivery'] : text.includes('price') ? ['price'] : []) };
    const rows = evaluateTagger(fake, [
      { text: 'late', themes: ['delivery'] },
      { text: 'late again', themes: ['delivery', 'support'] },
      { text: 'not late at all', themes: [] },
      { text: 'slow courier', themes: ['delivery'] },
      { text: 'price', themes: ['price'] },
    ]);
    expect(rows).toEqual([
      { theme: 'delivery', support: 3, tagged: 3, correct: 2, precision: 2 / 3, recall: 2 / 3 },
      { theme: 'price', support: 1, tagged: 1, correct: 1, precision: 1, recall: 1 },
      { theme: 'support', support: 1, tagged: 0, correct: 0, precision: null, recall: 0 },
    ]);
  });
});
