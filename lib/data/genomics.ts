/**
 * Seeded, genomics-like tabular data: many samples' worth of features where only a few
 * features carry the label, and the rest are noise arranged in correlated blocks (like
 * co-expressed genes or linked markers). Generated, so tests know the secret the learner
 * does not: which features are informative, and in which direction the classes differ.
 *
 * Sample `i` of class `y_i ∈ {0, 1}` has, for feature `j` in block `b`:
 *
 *     x_ij = sqrt(ρ) z_ib + sqrt(1 − ρ) e_ij + (y_i − ½) · shift · s_j
 *
 * with `z_ib, e_ij ~ N(0, 1)` independent, `ρ` the within-block correlation, and
 * `s_j = ±1` for the informative features, `0` for the others. Classes are balanced
 * (they differ by at most one sample) and in random order, so any slice of the rows is
 * a random split.
 *
 * @example Usage
 * ```ts
 * import { generateGenomicsData, subset } from "@lib/data/genomics.ts";
 * const data = generateGenomicsData({ samples: 40, features: 500, informative: 10, seed: 1 });
 * const train = subset(data, [...Array(30).keys()]);
 * console.log(train.samples, train.features); // 30 500
 * ```
 * @module
 */
import { createRng } from "../core/random.ts";
import { deepFreeze } from "../core/freeze.ts";

/** How to generate a data set. */
export interface GenomicsOptions {
  /** Number of samples (rows). */
  samples: number;
  /** Number of features (columns). */
  features: number;
  /** How many features carry the label (chosen at random). */
  informative: number;
  /** Difference between the class means on each informative feature (default 1). */
  shift?: number;
  /** Features per correlated block (default 50; the last block may be shorter). */
  blockSize?: number;
  /** Correlation between two features of the same block, in [0, 1) (default 0.5). */
  blockCorrelation?: number;
  /** Seed: the same options always give the same data. */
  seed: number;
}

/** Labelled samples: row-major features and 0/1 labels. */
export interface Dataset {
  /** `samples × features` values, row-major. */
  x: Float32Array;
  /** One label per sample, 0 or 1. */
  y: Int32Array;
  /** Number of rows. */
  samples: number;
  /** Number of columns. */
  features: number;
}

/** A data set without its labels: what a model gets to see of data it must predict. */
export type Features = Omit<Dataset, "y">;

/** A generated data set together with the generator's secret. */
export interface GenomicsData extends Dataset {
  /** Indices of the informative features, ascending. */
  informative: number[];
  /** `±1` per informative feature (same order): the sign of class 1's shift on it. */
  signs: number[];
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`generateGenomicsData: ${message}`);
}

/**
 * Generates a data set (see the module documentation for the model).
 *
 * @example Usage
 * ```ts
 * import { generateGenomicsData } from "@lib/data/genomics.ts";
 * const data = generateGenomicsData({ samples: 20, features: 100, informative: 5, seed: 7 });
 * console.log(data.x.length, data.informative.length); // 2000 5
 * ```
 * @param options Sizes, signal strength, noise structure and seed.
 * @returns The samples and the secret.
 */
export function generateGenomicsData(options: GenomicsOptions): GenomicsData {
  const { samples, features, informative, shift = 1, blockSize = 50, blockCorrelation = 0.5, seed } = options;
  check(Number.isInteger(samples) && samples >= 2, `samples must be an integer ≥ 2, got ${samples}`);
  check(Number.isInteger(features) && features >= 1, `features must be a positive integer, got ${features}`);
  check(
    Number.isInteger(informative) && informative >= 0 && informative <= features,
    `informative must be an integer in [0, features=${features}], got ${informative}`,
  );
  check(
    Number.isInteger(blockSize) && blockSize >= 1,
    `blockSize must be a positive integer, got ${blockSize}`,
  );
  check(
    blockCorrelation >= 0 && blockCorrelation < 1,
    `blockCorrelation must be in [0, 1), got ${blockCorrelation}`,
  );
  const rng = createRng(seed);
  const y = Int32Array.from(rng.shuffle(Array.from({ length: samples }, (_, i) => i % 2)));
  const chosen = rng.shuffle([...Array(features).keys()]).slice(0, informative).sort((a, b) => a - b);
  const signs = chosen.map(() => (rng.uniform() < 0.5 ? -1 : 1));
  const effect = new Float32Array(features);
  chosen.forEach((j, k) => (effect[j] = shift * signs[k]));
  const shared = Math.sqrt(blockCorrelation);
  const own = Math.sqrt(1 - blockCorrelation);
  const x = new Float32Array(samples * features);
  for (let i = 0; i < samples; i++) {
    const row = i * features;
    const half = y[i] - 0.5;
    let latent = 0;
    for (let j = 0; j < features; j++) {
      if (j % blockSize === 0) latent = shared * rng.normal();
      x[row + j] = latent + own * rng.normal() + half * effect[j];
    }
  }
  return { x, y, samples, features, informative: chosen, signs };
}

/**
 * The rows `indices` of `data` as a new data set (copies; no secret attached).
 *
 * @example Usage
 * ```ts
 * import { generateGenomicsData, subset } from "@lib/data/genomics.ts";
 * const data = generateGenomicsData({ samples: 10, features: 4, informative: 1, seed: 3 });
 * console.log(subset(data, [0, 2, 4]).samples); // 3
 * ```
 * @param data The data set.
 * @param indices Row indices, each in `[0, data.samples)`.
 * @returns The selected rows and their labels.
 */
export function subset(data: Dataset, indices: readonly number[]): Dataset {
  const { features } = data;
  const x = new Float32Array(indices.length * features);
  const y = new Int32Array(indices.length);
  indices.forEach((i, r) => {
    if (!Number.isInteger(i) || i < 0 || i >= data.samples) {
      throw new RangeError(`subset: row index ${i} is outside [0, ${data.samples})`);
    }
    x.set(data.x.subarray(i * features, (i + 1) * features), r * features);
    y[r] = data.y[i];
  });
  return { x, y, samples: indices.length, features };
}

/**
 * The unit vector along which the class means differ (`s / ‖s‖`, length `features`):
 * the direction a classifier has to find. All zeros when no feature is informative.
 *
 * @example Usage
 * ```ts
 * import { generateGenomicsData, signalDirection } from "@lib/data/genomics.ts";
 * const data = generateGenomicsData({ samples: 4, features: 8, informative: 4, seed: 1 });
 * const u = signalDirection(data);
 * console.log(u.reduce((s, v) => s + v * v, 0)); // 1 (up to rounding)
 * ```
 * @param data A generated data set.
 * @returns The direction, as `Float64Array(features)`.
 */
export function signalDirection(data: GenomicsData): Float64Array {
  const u = new Float64Array(data.features);
  const norm = Math.sqrt(data.informative.length);
  data.informative.forEach((j, k) => (u[j] = data.signs[k] / norm));
  return u;
}

/**
 * Cuts `data` into consecutive row blocks of the given sizes (a fixed split: the
 * generator's rows are in random order, so consecutive blocks are random subsets).
 *
 * @example Usage
 * ```ts
 * import { generateGenomicsData, splitRows } from "@lib/data/genomics.ts";
 * const data = generateGenomicsData({ samples: 10, features: 3, informative: 1, seed: 2 });
 * const [train, test] = splitRows(data, [7, 3]);
 * console.log(train.samples, test.samples); // 7 3
 * ```
 * @param data The data set.
 * @param sizes Rows per block; they must add up to at most `data.samples`.
 * @returns One data set per size.
 */
export function splitRows(data: Dataset, sizes: readonly number[]): Dataset[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (sizes.some((size) => !Number.isInteger(size) || size < 0) || total > data.samples) {
    throw new RangeError(
      `splitRows: sizes [${
        sizes.join(", ")
      }] must be non-negative integers adding up to at most ${data.samples}`,
    );
  }
  let start = 0;
  return sizes.map((size) => {
    start += size;
    return subset(data, Array.from({ length: size }, (_, i) => start - size + i));
  });
}

/** A generated study cut into a training, a validation and a test split. */
export interface Study {
  /** All samples, with the generator's secret. */
  data: GenomicsData;
  /** The rows to fit on. */
  train: Dataset;
  /** The rows to choose settings on. */
  validation: Dataset;
  /** The rows held back for one final evaluation. */
  test: Dataset;
}

/** Sizes of a study's splits, and the generator options of its data. */
export interface StudyShape {
  /** Training rows. */
  train: number;
  /** Validation rows. */
  validation: number;
  /** Test rows. */
  test: number;
  /** Features per sample. */
  features: number;
  /** Informative features. */
  informative: number;
  /** Class-mean difference on each informative feature. */
  shift: number;
  /** Features per correlated block. */
  blockSize: number;
  /** Correlation within a block. */
  blockCorrelation: number;
}

/** The default case–control study: 140 samples × 10,000 features, 20 of them informative. */
export const CASE_CONTROL_STUDY: Readonly<StudyShape> = {
  train: 70,
  validation: 30,
  test: 40,
  features: 10_000,
  informative: 20,
  shift: 2.5,
  blockSize: 50,
  blockCorrelation: 0.2,
};
deepFreeze(CASE_CONTROL_STUDY); // graded code cannot change the rules the tests read

/**
 * A case–control study shaped like a small genomics experiment ({@linkcode CASE_CONTROL_STUDY}
 * by default): far more features than samples, a few informative features among many
 * correlated noise features, split into consecutive training, validation and test rows.
 *
 * @example Usage
 * ```ts
 * import { caseControlStudy } from "@lib/data/genomics.ts";
 * const { train, validation, test } = caseControlStudy(1, { features: 200 });
 * console.log(train.samples, validation.samples, test.samples, train.features); // 70 30 40 200
 * ```
 * @param seed Seed of the data (the split is fixed by it too).
 * @param overrides Changes to the default study's shape.
 * @returns The data and its three splits.
 */
export function caseControlStudy(seed: number, overrides: Partial<StudyShape> = {}): Study {
  const shape = { ...CASE_CONTROL_STUDY, ...overrides };
  const data = generateGenomicsData({ ...shape, samples: shape.train + shape.validation + shape.test, seed });
  const [train, validation, test] = splitRows(data, [shape.train, shape.validation, shape.test]);
  return { data, train, validation, test };
}
