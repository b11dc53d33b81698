import { describe, expect, test } from 'vitest';
import { benjaminiHochberg } from '../../shared/false-discovery.js';

describe('benjaminiHochberg', () => {
  // Benjamini & Hochberg (1995), section 4.1: 15 comparisons from a myocardial-infarction study.
  const textbook = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];

  test('the textbook example at q 0.05: four discoveries (Bonferroni would find three)', () => {
    // thresholds k/15 × 0.05: k=4 → 0.01333 ≥ 0.0095 ✓; k=5 → 0.01667 < 0.0201; … k=9 → 0.03 < 0.0459;
    // k=15 → 0.05 < 1 — the largest k that passes is 4, so the four smallest are discoveries.
    expect(benjaminiHochberg(textbook)).toEqual([true, true, true, true, ...new Array(11).fill(false)]);
    // Bonferroni, 0.05 / 15 = 0.00333, keeps only 0.0001, 0.0004, 0.0019
    expect(textbook.filter((p) => p <= 0.05 / 15)).toHaveLength(3);
  });

  test('a p-value above its own threshold is a discovery when a larger one passes (step-up)', () => {
    // m = 3, thresholds k/3 × 0.05 = 0.0167, 0.0333, 0.05; sorted 0.02 (k=1), 0.03 (k=2), 0.04 (k=3)
    // 0.02 > 0.0167 fails on its own, but k=3 passes (0.04 ≤ 0.05), so all three are discoveries
    expect(benjaminiHochberg([0.04, 0.02, 0.03])).toEqual([true, true, true]);
  });

  test('answers in the order given, not sorted', () => {
    // sorted: 0.001 (k=1 ≤ 0.0167 ✓), 0.3 (k=2 > 0.0333), 0.9 → only 0.001
    expect(benjaminiHochberg([0.9, 0.001, 0.3])).toEqual([false, true, false]);
  });

  test('a stricter q finds fewer: the textbook set at q 0.01 keeps three', () => {
    // k/15 × 0.01: k=2 → 0.001333 ≥ 0.0004 ✓; k=3 → 0.002 ≥ 0.0019 ✓; k=4 → 0.002667 < 0.0095 → three
    expect(benjaminiHochberg(textbook, 0.01).filter(Boolean)).toHaveLength(3);
  });

  test('nothing compared, nothing found; a p-value outside 0…1 is refused', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([0.01, 1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
  });
});
