/**
 * Seeded randomness for katas and tests. One seed, `KATA_SEED` (default 42), drives every
 * generator; {@linkcode seedEverything} also makes tfjs's weight initialisers and
 * shuffling deterministic by replacing `Math.random`, which they draw from.
 *
 * @example Usage
 * ```ts
 * import { createRng, kataSeed } from "@lib/core/random.ts";
 * const rng = createRng(kataSeed());
 * console.log(rng.uniform(), rng.normal(), rng.int(10));
 * ```
 * @module
 */
import { readSetting } from "./settings.ts";

const unseededRandom = Math.random;

/** The default seed when `KATA_SEED` is unset. */
export const DEFAULT_SEED = 42;

/**
 * The seed from `KATA_SEED` (an integer), or {@linkcode DEFAULT_SEED}.
 *
 * @example Usage
 * ```ts
 * import { kataSeed } from "@lib/core/random.ts";
 * console.log(kataSeed()); // 42 unless KATA_SEED is set
 * ```
 * @returns The seed.
 */
export function kataSeed(): number {
  const raw = readSetting("KATA_SEED");
  if (raw === undefined) return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`KATA_SEED="${raw}" is not an integer; set it to a whole number such as 7`);
  }
  return seed;
}

/** A seeded pseudo-random generator (mulberry32 with Box–Muller normals). */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** A new generator whose stream is independent of this one's, derived from its next draw. */
  fork(): Rng;
}

/**
 * Creates a generator for `seed`. The same seed always gives the same stream.
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * const a = createRng(1), b = createRng(1);
 * console.log(a.uniform() === b.uniform()); // true
 * ```
 * @param seed Any integer.
 * @returns The generator.
 */
export function createRng(seed: number): Rng {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x85ebca6b) >>> 0;
  let spare: number | undefined;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    uniform,
    normal() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      const u = 1 - uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(uniform() * n),
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    fork: () => createRng(Math.floor(uniform() * 2 ** 31)),
  };
  return rng;
}

/**
 * Makes everything that draws from `Math.random` (tfjs weight initialisers, dropout
 * masks, `fit`'s shuffling) deterministic for `seed`. Returns a function restoring the
 * original `Math.random`.
 *
 * @example Usage
 * ```ts
 * import { seedEverything } from "@lib/core/random.ts";
 * const restore = seedEverything(7);
 * const first = Math.random();
 * seedEverything(7);
 * console.log(Math.random() === first); // true
 * restore();
 * ```
 * @param seed Any integer.
 * @returns A function that restores the unseeded `Math.random`.
 */
export function seedEverything(seed: number): () => void {
  const original = unseededRandom;
  const rng = createRng(seed);
  Math.random = rng.uniform;
  return () => {
    Math.random = original;
  };
}

/**
 * `crypto.getRandomValues`, taken when this module loads: before the learner's modules, which every test
 * imports after the library, could replace it with a predictable one.
 */
const randomValues = crypto.getRandomValues.bind(crypto);

/**
 * A seed nobody can predict (`crypto.getRandomValues`), for data the learner's code must not know: a
 * challenge's held-out rows drawn from it cannot be re-created from the public `KATA_SEED`.
 *
 * @example Usage
 * ```ts
 * import { freshSeed } from "@lib/core/random.ts";
 * console.log(Number.isSafeInteger(freshSeed())); // true
 * ```
 * @returns A non-negative 31-bit integer.
 */
export function freshSeed(): number {
  return randomValues(new Uint32Array(1))[0] >>> 1;
}
