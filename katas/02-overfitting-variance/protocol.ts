// deno-lint-ignore-file no-unused-vars -- the stubs name the arguments the learner will use
/**
 * Kata 02, step 6: the evaluation protocol — k-fold cross-validation, model selection with
 * it, how many test samples an accuracy needs, and a test set that can be used only once.
 *
 * @module
 */
import type { Dataset, SealedTestSet } from "./contract.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";

export type { SealedTestSet } from "./contract.ts";

/**
 * Step 6. Splits the indices `0 … n − 1` into `k` validation folds: shuffled with a
 * generator seeded by `seed` (`createRng` from `@lib/core/random.ts`), disjoint, covering every
 * index once, sizes within one of each other, each fold sorted. With `labels`, stratified:
 * every class is spread over the folds so that per-fold class counts differ by at most one.
 * Throws a `RangeError` when `k` is not an integer in `[2, n]`, or when `labels` does not
 * have `n` entries.
 *
 * @param n Number of samples.
 * @param k Number of folds.
 * @param options Shuffling seed and, to stratify, one label per sample.
 * @returns `k` arrays of validation indices.
 */
export function kFoldIndices(
  n: number,
  k: number,
  options: { seed: number; labels?: ArrayLike<number> },
): number[][] {
  return notImplemented("kFoldIndices", 6);
}

/**
 * Step 6. Stratified k-fold cross-validation of `data` (folds from {@linkcode kFoldIndices}
 * with `data.y` as labels): for each fold in order, calls `score(train, val, fold)` with the
 * other folds' rows as `train` and the fold's rows as `val` (`subset` from
 * `@lib/data/genomics.ts`), and collects the scores.
 *
 * @param data Development rows.
 * @param k Number of folds.
 * @param seed Shuffling seed.
 * @param score Trains on `train` and scores on `val`.
 * @returns One score per fold.
 */
export function crossValidate(
  data: Dataset,
  k: number,
  seed: number,
  score: (train: Dataset, val: Dataset, fold: number) => number | Promise<number>,
): Promise<number[]> {
  return notImplemented("crossValidate", 6);
}

/**
 * Step 6. Model selection by cross-validation: cross-validates every candidate on the same
 * folds and picks the one with the best mean fold score (the first on a tie). Throws a
 * `RangeError` for an empty list of candidates.
 *
 * @param data Development rows.
 * @param candidates Settings to compare.
 * @param k Number of folds.
 * @param seed Shuffling seed.
 * @param score Trains `candidate` on `train` and scores it on `val`.
 * @returns The best candidate, each candidate's mean score, and its fold scores (same order).
 */
export function selectByCrossValidation<C>(
  data: Dataset,
  candidates: readonly C[],
  k: number,
  seed: number,
  score: (candidate: C, train: Dataset, val: Dataset) => number | Promise<number>,
): Promise<{ best: C; means: number[]; scores: number[][] }> {
  return notImplemented("selectByCrossValidation", 6);
}

/**
 * Step 6. Hoeffding's bound: the number of test samples after which a measured accuracy
 * is within `±epsilon` of the true one with probability at least `1 − delta`:
 * `ceil(ln(2 / delta) / (2 · epsilon²))`. Throws a `RangeError` naming the argument unless
 * both are in (0, 1).
 *
 * @param epsilon Tolerated error.
 * @param delta Allowed failure probability.
 * @returns Samples needed.
 */
export function hoeffdingSamples(epsilon: number, delta: number): number {
  return notImplemented("hoeffdingSamples", 6);
}

/**
 * Step 6. The same bound solved for the error: with `samples` test samples, the measured
 * accuracy is within `±sqrt(ln(2 / delta) / (2 · samples))` of the true one with
 * probability at least `1 − delta`. Throws a `RangeError` for a non-positive or
 * non-integer `samples` or a `delta` outside (0, 1).
 *
 * @param samples Test samples.
 * @param delta Allowed failure probability.
 * @returns The error `epsilon`.
 */
export function hoeffdingEpsilon(samples: number, delta: number): number {
  return notImplemented("hoeffdingEpsilon", 6);
}

/**
 * Step 6. Wraps a test set so it can be evaluated once (see {@linkcode SealedTestSet}).
 * Keep private copies of the features and labels.
 *
 * @param test The held-back rows.
 * @returns The sealed test set.
 */
export function sealTestSet(test: Dataset): SealedTestSet {
  return notImplemented("sealTestSet", 6);
}
