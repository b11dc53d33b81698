/** The false discovery rate the dashboard controls when it compares many segments or themes at once. */
export const FALSE_DISCOVERY_RATE = 0.05;

/**
 * Benjamini–Hochberg (1995): given the p-values of many comparisons made at once, which are discoveries so that on
 * average at most q of the discoveries are false. Sort the m p-values, find the largest rank k with p₍k₎ ≤ k/m × q,
 * and call the k smallest discoveries. Returns one boolean per p-value, in the order given.
 */
export function benjaminiHochberg(pValues: readonly number[], q = FALSE_DISCOVERY_RATE): boolean[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value out of 0…1: ${p}`);
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  let cutoff = 0;
  order.forEach(({ p }, i) => {
    if (p <= ((i + 1) / m) * q) cutoff = i + 1;
  });
  const discoveries = new Array<boolean>(m).fill(false);
  for (let i = 0; i < cutoff; i++) discoveries[order[i]!.index] = true;
  return discoveries;
}
