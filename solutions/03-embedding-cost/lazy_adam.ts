/**
 * Kata 03, step 4 (reference): a lazy ("sparse") Adam that updates only the rows a batch
 * uses, with the table kept outside tfjs so no step ever materialises a `vocab × dim` tensor.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { classifierLoss, trainableVariables } from "@lib/models/text_classifier.ts";
import type { TokenBatch } from "@lib/data/token_batches.ts";
import { type AdamConfig, DEFAULT_ADAM, type LazyClassifier, type LazyEmbedding } from "./contract.ts";

export { type AdamConfig, DEFAULT_ADAM, type LazyClassifier, type LazyEmbedding } from "./contract.ts";

/**
 * Step 4. Adam for an embedding table that updates only the rows given to
 * {@linkcode LazyAdam.update}: their moments decay and absorb the new gradient, their
 * weights move; every other row, and its moments, stay untouched. Bias correction uses
 * the number of updates so far, as tfjs's Adam does.
 */
export class LazyAdam implements LazyEmbedding {
  /** The table, `vocab × dim` row-major; updated in place. */
  readonly table: Float32Array;
  /** First moments, same layout as the table. */
  readonly m: Float32Array;
  /** Second moments, same layout as the table. */
  readonly v: Float32Array;
  /** Width of a row. */
  readonly dim: number;
  /** The hyper-parameters. */
  readonly config: AdamConfig;
  /** Number of updates applied so far. */
  iterations = 0;

  /** Takes ownership of `table` (a `vocab × dim` row-major array); moments start at zero. */
  constructor(table: Float32Array, dim: number, config: AdamConfig = DEFAULT_ADAM) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    if (table.length === 0 || table.length % dim !== 0) {
      throw new RangeError(`the table's length ${table.length} is not a positive multiple of dim ${dim}`);
    }
    this.table = table;
    this.m = new Float32Array(table.length);
    this.v = new Float32Array(table.length);
    this.dim = dim;
    this.config = config;
  }

  /** Rows in the table. */
  get vocab(): number {
    return this.table.length / this.dim;
  }

  /**
   * One Adam step on `rows` (distinct row ids) with their gradients `grads`
   * (`rows.length × dim`, row-major, in the order of `rows`).
   */
  update(rows: ArrayLike<number>, grads: Float32Array): void {
    const { dim } = this;
    if (grads.length !== rows.length * dim) {
      throw new RangeError(
        `grads must hold rows.length × dim = ${rows.length * dim} values, got ${grads.length}`,
      );
    }
    const seen = new Set<number>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!Number.isInteger(row) || row < 0 || row >= this.vocab) {
        throw new RangeError(`row ${row} is outside the table [0, ${this.vocab})`);
      }
      if (seen.has(row)) {
        throw new RangeError(
          `row ${row} appears twice; sum the gradients of a repeated id into one row first`,
        );
      }
      seen.add(row);
    }
    const { learningRate, beta1, beta2, epsilon } = this.config;
    this.iterations++;
    const correction1 = 1 - beta1 ** this.iterations;
    const correction2 = 1 - beta2 ** this.iterations;
    for (let i = 0; i < rows.length; i++) {
      const base = rows[i] * dim;
      for (let j = 0; j < dim; j++) {
        const g = grads[i * dim + j];
        const k = base + j;
        this.m[k] = beta1 * this.m[k] + (1 - beta1) * g;
        this.v[k] = beta2 * this.v[k] + (1 - beta2) * g * g;
        this.table[k] -= learningRate * (this.m[k] / correction1) /
          (Math.sqrt(this.v[k] / correction2) + epsilon);
      }
    }
  }
}

/**
 * Step 4. One training step of the lazy design on `batch`: copies the rows of the batch's
 * distinct ids into a small tensor, computes the loss's gradients with respect to those
 * rows and to the head, steps the head with `headOptimizer` and the rows with
 * `embedding.update`. Returns the loss before the step.
 */
export function lazyTrainStep(model: LazyClassifier, batch: TokenBatch): number {
  const { embedding, head, headOptimizer } = model;
  const { dim } = embedding;
  const unique = [...new Set(batch.ids)].sort((a, b) => a - b);
  const position = new Map(unique.map((id, i) => [id, i]));
  const local = Int32Array.from(batch.ids, (id) => position.get(id)!);
  const rows = new Float32Array(unique.length * dim);
  unique.forEach((id, i) => rows.set(embedding.table.subarray(id * dim, (id + 1) * dim), i * dim));

  const rowsVariable = tf.tidy(() => tf.variable(tf.tensor2d(rows, [unique.length, dim])));
  const localIds = tf.tensor1d(local, "int32");
  const labels = tf.tensor2d(batch.labels, [batch.batchSize, 1]);
  const headVariables = trainableVariables(head);
  try {
    const { value, grads } = tf.variableGrads(() => {
      const embedded = tf.gather(rowsVariable, localIds).reshape([batch.batchSize, batch.seqLen, dim]);
      return classifierLoss(head.apply(embedded, { training: true }) as tf.Tensor, labels);
    }, [rowsVariable, ...headVariables]);
    headOptimizer.applyGradients(Object.fromEntries(headVariables.map((v) => [v.name, grads[v.name]])));
    embedding.update(unique, grads[rowsVariable.name].dataSync() as Float32Array);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  } finally {
    tf.dispose([rowsVariable, localIds, labels]);
  }
}
