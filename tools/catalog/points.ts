/**
 * Points per test case: a kata's `points` split over its tests, evenly unless `kata.json`
 * gives `weights` (test name → weight, default 1), so a half-solved kata earns part of its points.
 *
 * @example Usage
 * ```ts
 * import { splitPoints } from "./points.ts";
 * const { points } = splitPoints(10, ["s > easy", "s > hard"], { hard: 3 });
 * console.log(points); // [2.5, 7.5]
 * ```
 * @module
 */

/** {@linkcode splitPoints}'s result. */
export interface PointSplit {
  /** Points of each test, in the order given. */
  points: number[];
  /** Weight of each test, in the order given. */
  weights: number[];
  /** Weight keys that name no test (a typo in `kata.json`). */
  unused: string[];
}

/**
 * Whether a `weights` key names a test: its full name (`suite > step`) or its own name (the
 * last part).
 *
 * @example Usage
 * ```ts
 * import { weightNames } from "./points.ts";
 * console.log(weightNames("suite > adds", "adds")); // true
 * ```
 * @param test The full test name.
 * @param key A `weights` key.
 * @returns Whether they match.
 */
export function weightNames(test: string, key: string): boolean {
  return test === key || test.endsWith(` > ${key}`);
}

/**
 * Splits `total` over `tests` by weight.
 *
 * @example Usage
 * ```ts
 * import { splitPoints } from "./points.ts";
 * console.log(splitPoints(6, ["a", "b", "c"]).points); // [2, 2, 2]
 * ```
 * @param total The kata's points.
 * @param tests Full test names.
 * @param weights Optional weights by name (see {@linkcode weightNames}).
 * @returns Points per test and unused keys.
 */
export function splitPoints(
  total: number,
  tests: string[],
  weights: Record<string, number> = {},
): PointSplit {
  const keys = Object.keys(weights);
  const weight = tests.map((test) => {
    const key = keys.find((k) => test === k) ?? keys.find((k) => weightNames(test, k));
    return key === undefined ? 1 : Math.max(0, weights[key]);
  });
  const sum = weight.reduce((a, b) => a + b, 0);
  return {
    points: weight.map((w) => sum > 0 ? total * w / sum : 0),
    weights: weight,
    unused: keys.filter((k) => !tests.some((test) => weightNames(test, k))),
  };
}

/**
 * Points earned for the tests that passed, computed from their weights in one division so
 * that passing everything earns exactly `total`.
 *
 * @example Usage
 * ```ts
 * import { earnedPoints } from "./points.ts";
 * console.log(earnedPoints(10, [1, 1, 1], [true, true, true])); // 10
 * ```
 * @param total The kata's points.
 * @param weights Each test's weight.
 * @param passed Whether each test passed.
 * @returns The points earned.
 */
export function earnedPoints(total: number, weights: number[], passed: boolean[]): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  const earned = weights.reduce((a, w, i) => passed[i] ? a + w : a, 0);
  return sum > 0 ? total * earned / sum : 0;
}

/**
 * Rounds points for reports (two decimals).
 *
 * @example Usage
 * ```ts
 * import { roundPoints } from "./points.ts";
 * console.log(roundPoints(10 / 3)); // 3.33
 * ```
 * @param points A number of points.
 * @returns It, rounded.
 */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}

/**
 * A kata's points for a set of passing tests: the one computation `deno task start` and the grader share.
 * `tests` is the kata's census (every test, in order); `passed` the names of the tests that passed.
 *
 * @example Usage
 * ```ts
 * import { kataPoints } from "./points.ts";
 * const kata = { meta: { points: 10, weights: { hard: 3 } } };
 * console.log(kataPoints(kata, ["s > easy", "s > hard"], new Set(["s > hard"]))); // { earned: 7.5, max: 10 }
 * ```
 * @param kata The kata (its manifest's `points` and `weights`).
 * @param tests Every test's full name.
 * @param passed The names of the tests that passed.
 * @returns Points earned and the kata's maximum.
 */
export function kataPoints(
  kata: { meta: { points: number; weights?: Record<string, number> } },
  tests: string[],
  passed: Set<string>,
): { earned: number; max: number } {
  const { weights } = splitPoints(kata.meta.points, tests, kata.meta.weights);
  return {
    earned: earnedPoints(kata.meta.points, weights, tests.map((t) => passed.has(t))),
    max: kata.meta.points,
  };
}
