/** Independent random streams from one seed, so adding a fault or a siren does not reshuffle the others. */
import { fnv1a, seededRandom } from '../src/protocol/random.js';

/** A 32-bit seed for one stream, from the seed and the labels. */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  return fnv1a(`${seed}/${labels.join('/')}`);
}

export function randomStream(seed: number, ...labels: (string | number)[]): () => number {
  return seededRandom(deriveSeed(seed, ...labels));
}

/** A uniform draw in [min, max). */
export function between(random: () => number, min: number, max: number): number {
  return min + (max - min) * random();
}

/** The first `k` items of a Fisher–Yates shuffle (all of them by default). */
export function shuffled<T>(items: readonly T[], random: () => number, k = items.length): T[] {
  const a = [...items];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}
