/** A small seeded generator (mulberry32) with the draws the demo needs: it tells the same story on every machine. */
export function generator(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  /** One of the keys, with chance proportional to its weight. */
  const weighted = <K extends string>(weights: Readonly<Partial<Record<K, number>>>): K => {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
    let roll = next() * total;
    for (const [key, w] of entries) {
      roll -= Math.max(0, w);
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  };
  /** An index into `weights`, with chance proportional to its weight. */
  const choose = (weights: readonly number[]): number => {
    let roll = next() * weights.reduce((sum, w) => sum + w, 0);
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i]!;
      if (roll < 0) return i;
    }
    return weights.length - 1;
  };
  const chance = (p: number) => next() < p;
  const between = (low: number, high: number) => low + next() * (high - low);
  /** A whole number in low…high, both included. */
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  /** A waiting time with the given mean (exponential). */
  const wait = (mean: number) => -Math.log(1 - next()) * mean;
  /** A count with the given mean (Poisson, by inversion: the means here are small). */
  const count = (mean: number) => {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  return { next, pick, weighted, choose, chance, between, int, wait, count };
}

export type Rng = ReturnType<typeof generator>;
