/**
 * Kata 03, step 4: a lazy ("sparse") Adam that updates only the rows a batch uses, with
 * the table kept outside tfjs so no step ever materialises a `vocab × dim` tensor.
 *
 * @module
 */
import type { TokenBatch } from "@lib/data/token_batches.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import { type AdamConfig, DEFAULT_ADAM, type LazyClassifier, type LazyEmbedding } from "./contract.ts";

export { type AdamConfig, DEFAULT_ADAM, type LazyClassifier, type LazyEmbedding } from "./contract.ts";

/**
 * Step 4. Adam for an embedding table that updates only the rows given to
 * {@linkcode LazyAdam.update}: their moments decay and absorb the new gradient, their
 * weights move; every other row, and its moments, stay untouched.
 */
export class LazyAdam implements LazyEmbedding {
  /** The table, `vocab × dim` row-major; updated in place. */
  readonly table!: Float32Array;
  /** First moments, same layout as the table, starting at zero. */
  readonly m!: Float32Array;
  /** Second moments, same layout as the table, starting at zero. */
  readonly v!: Float32Array;
  /** Width of a row. */
  readonly dim!: number;
  /** The hyper-parameters. */
  readonly config!: AdamConfig;
  /** Number of updates applied so far. */
  iterations = 0;

  /**
   * Takes ownership of `table` (a `vocab × dim` row-major array). Throws a `RangeError`
   * when `dim` is not a positive integer or the table's length is not a positive multiple
   * of it (mention "multiple").
   */
  constructor(_table: Float32Array, _dim: number, _config: AdamConfig = DEFAULT_ADAM) {
    notImplemented("LazyAdam constructor", 4);
  }

  /** Rows in the table. */
  get vocab(): number {
    return notImplemented("LazyAdam.vocab", 4);
  }

  /**
   * One Adam step on `rows` (distinct row ids) with their gradients `grads`
   * (`rows.length × dim`, row-major, in the order of `rows`), exactly as `tf.train.adam`
   * would update those rows: bias correction uses the number of updates so far (this one
   * included). Throws a `RangeError` for a row outside the table or not an integer (mention
   * "outside"), a row given twice (mention "twice"), or `grads` of the wrong length (mention
   * "grads"); a rejected call changes nothing (not the table, the moments or `iterations`).
   */
  update(_rows: ArrayLike<number>, _grads: Float32Array): void {
    notImplemented("LazyAdam.update", 4);
  }
}

/**
 * Step 4. One training step of the lazy design on `batch`: copy the rows of the batch's
 * distinct ids into a small tensor, compute the loss's (`classifierLoss`) gradients with
 * respect to those rows and to the head's weights, step the head with `headOptimizer` and
 * the rows with `embedding.update`. Returns the loss before the step.
 */
export function lazyTrainStep(_model: LazyClassifier, _batch: TokenBatch): number {
  return notImplemented("lazyTrainStep", 4);
}
