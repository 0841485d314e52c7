/**
 * What kata 02's test files share: the run's seed, the case–control study every step measures, the
 * initialisation seeds of the runs compared, small data sets for the checks that need no 10,000
 * features, and the arithmetic the tests compute without the learner's code. Test support, not a file
 * to edit: the solution has no counterpart, so it always runs from `katas/`. Never initialises a backend
 * (each test file does).
 *
 * @example Usage
 * ```ts ignore
 * import { INIT_SEEDS, study } from "./test_setup.ts";
 * const { train, validation } = study();
 * console.log(train.samples, validation.samples, INIT_SEEDS.length); // 70 30 8
 * ```
 * @module
 */
import { createRng, kataSeed } from "@lib/core/random.ts";
import {
  caseControlStudy,
  type Dataset,
  generateGenomicsData,
  splitRows,
  type Study,
} from "@lib/data/genomics.ts";
import { once } from "@lib/testing/once.ts";

/** The run's seed (`KATA_SEED`): it fixes the data, the split and the initialisation seeds. */
export const SEED: number = kataSeed();

/** The case–control study (140 × 10,000: 70 train, 30 validation, 40 test rows). */
export const study: () => Study = once(() => caseControlStudy(SEED));

/** Training and validation rows together: the development data that cross-validation resamples. */
export const development: () => Dataset = once(() => {
  const { data, train, validation } = study();
  return splitRows(data, [train.samples + validation.samples])[0];
});

/** Eight initialisation seeds, drawn from the run's seed: the runs every spread is measured over. */
export const INIT_SEEDS: readonly number[] = ((rng) => Array.from({ length: 8 }, () => rng.int(2 ** 31)))(
  createRng(SEED + 1),
);

/**
 * A small labelled data set (a strong signal in a few of `features` features), for checks that need
 * no 10,000 features: cheap to train on, and big enough that a mini-batch of 32 is not all of it.
 */
export function smallData(seed: number, samples = 40, features = 7): Dataset {
  return generateGenomicsData({
    samples,
    features,
    informative: Math.min(3, features),
    shift: 1.5,
    blockSize: 4,
    seed,
  });
}

/** The share of equal entries, computed here. */
export function shareEqual(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/** Mean and sample standard deviation, computed here. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) };
}

/** Mean pairwise share of positions where two runs differ, computed here. */
export function pairwiseDisagreement(runs: readonly (readonly number[])[]): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++, pairs++) sum += 1 - shareEqual(runs[a], runs[b]);
  }
  return sum / pairs;
}
