/**
 * Kata 03, steps 3 and 6: what one training step reads, computes and changes.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { EMBEDDING_LAYER } from "@lib/models/text_classifier.ts";
import type { TokenBatch } from "@lib/data/token_batches.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { Footprint } from "./contract.ts";

export type { Footprint } from "./contract.ts";

/**
 * Step 3. The rows (ascending) of a `[rows, dim]` float32 table, stored row-major, whose
 * bits differ between `before` and `after` (compare bits, not values: NaN → NaN is no
 * change, 0 → -0 is one). Throws a `RangeError` when the lengths differ (mention
 * "length") or are not a multiple of `dim` (mention "dim").
 */
export function changedRows(_before: Float32Array, _after: Float32Array, _dim: number): number[] {
  return notImplemented("changedRows", 3);
}

/**
 * Step 3. The gradient of the batch's loss (`classifierLoss` from `@lib/models/text_classifier.ts`)
 * with respect to the table of `model`'s embedding layer `layerName`, as tfjs computes it.
 * The caller disposes it.
 */
export function embeddingGradient(
  _model: tf.LayersModel,
  _batch: TokenBatch,
  _layerName: string = EMBEDDING_LAYER,
): tf.Tensor2D {
  return notImplemented("embeddingGradient", 3);
}

/**
 * Step 3. Runs `step` (one training step that updates `table` with `optimizer`; it may
 * return a promise) and reports which rows of the table, and of the optimizer's slots for
 * it (`optimizer.getWeights()` names them `<table.name>/<slot>`), changed. A slot that does
 * not exist yet (Adam creates its moments at its first step) counts as all zeros. Leaves no
 * tensor behind but the step's own. Read the table with its `dataSync()` or `data()`, and copy
 * what you read: a backend may hand you its live array, which the step then changes.
 */
export function stepFootprint(
  _step: () => unknown,
  _table: tf.Variable,
  _optimizer: tf.Optimizer,
): Promise<Footprint> {
  return notImplemented("stepFootprint", 3);
}

/**
 * Step 6. The bytes that `step` (it may return a promise) writes into new tfjs buffers: for
 * every buffer the backend allocates while the step runs (a kernel's output, or a tensor made
 * from JavaScript values), its size × the bytes of its dtype. A kernel that hands back its
 * input's buffer (`Identity`, `Reshape`) writes nothing, and a buffer counts even when the step
 * frees it again. A step that throws (or rejects) passes its error on, with the backend left as
 * it was.
 */
export function bytesWritten(_step: () => unknown): Promise<number> {
  return notImplemented("bytesWritten", 6);
}
