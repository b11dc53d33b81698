/** A line's name placed next to its last point: `x` is the anchor, the text runs from it towards `align`. */
export interface EndLabel {
  x: number;
  y: number;
  width: number;
  align: 'left' | 'right';
}

/** Line height of the 12px labels, with a little air. */
export const END_LABEL_HEIGHT = 14;

const span = (label: EndLabel): [number, number] =>
  label.align === 'left' ? [label.x, label.x + label.width] : [label.x - label.width, label.x];
const sideBySide = (a: EndLabel, b: EndLabel) => {
  const [a0, a1] = span(a);
  const [b0, b1] = span(b);
  return a0 < b1 && b0 < a1;
};

/**
 * Moves labels down, the least needed, so no two that share horizontal room overlap: lines that end close together
 * (two themes both near 10%) would otherwise write their names over each other. Keeps the order of `labels`; returns
 * each label's baseline, never above `top`.
 */
export function spreadEndLabels(labels: readonly EndLabel[], top: number): number[] {
  const order = labels.map((label, index) => ({ label, index, y: Math.max(top, label.y) })).sort((a, b) => a.y - b.y);
  const placed: typeof order = [];
  for (const item of order) {
    // Ascending, so a label moved below one can still be moved below the next.
    for (const other of [...placed].sort((a, b) => a.y - b.y)) {
      if (sideBySide(item.label, other.label) && item.y - other.y < END_LABEL_HEIGHT) item.y = other.y + END_LABEL_HEIGHT;
    }
    placed.push(item);
  }
  const ys: number[] = [];
  for (const item of order) ys[item.index] = item.y;
  return ys;
}
