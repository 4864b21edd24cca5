/** Independent random streams from one seed, so adding a fault or a siren does not reshuffle the others. */
import { seededRandom } from '../src/protocol/random.js';

/** FNV-1a over the seed and the labels: a 32-bit seed for one stream. */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}/${labels.join('/')}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
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
