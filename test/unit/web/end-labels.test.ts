import { describe, expect, test } from 'vitest';
import { END_LABEL_HEIGHT, spreadEndLabels } from '../../../web/components/charts/end-labels.js';

describe("trend chart: the names at the lines' ends", () => {
  test('two lines ending at nearly the same share get names one below the other, not over each other', () => {
    const ys = spreadEndLabels(
      [
        { x: 500, y: 200, width: 90, align: 'right' },
        { x: 500, y: 203, width: 110, align: 'right' },
      ],
      20,
    );
    expect(ys[0]).toBe(200);
    expect(ys[1]! - ys[0]!).toBeGreaterThanOrEqual(END_LABEL_HEIGHT);
  });

  test('a third close name goes below both, whatever the order the lines come in', () => {
    const ys = spreadEndLabels(
      [
        { x: 20, y: 105, width: 80, align: 'left' },
        { x: 20, y: 100, width: 80, align: 'left' },
        { x: 20, y: 110, width: 80, align: 'left' },
      ],
      20,
    );
    const sorted = [...ys].sort((a, b) => a - b);
    expect(sorted[1]! - sorted[0]!).toBeGreaterThanOrEqual(END_LABEL_HEIGHT);
    expect(sorted[2]! - sorted[1]!).toBeGreaterThanOrEqual(END_LABEL_HEIGHT);
    expect(ys[1]).toBe(100);
  });

  test('names at opposite ends of the chart stay where their lines end, and none goes above the plot', () => {
    const ys = spreadEndLabels(
      [
        { x: 600, y: 5, width: 90, align: 'right' },
        { x: 40, y: 8, width: 90, align: 'left' },
      ],
      20,
    );
    expect(ys).toEqual([20, 20]);
  });
});
