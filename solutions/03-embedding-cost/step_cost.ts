/**
 * Kata 03, steps 3 and 6 (reference): what one training step reads, computes and changes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { classifierLoss, EMBEDDING_LAYER, embeddingTable } from "@lib/models/text_classifier.ts";
import { batchTensors, type TokenBatch } from "@lib/data/token_batches.ts";

/** Which rows of a table and of its optimizer state one step changed (step 3). */
export interface Footprint {
  /**
   * Changed rows (ascending) of each array: `"table"` for the weights, and one entry per
   * optimizer slot of the table named by the slot's suffix (Adam: `"m"` and `"v"`).
   */
  rows: Record<string, number[]>;
  /** Bytes of the changed rows, summed over the arrays (4 bytes per float32). */
  bytesChanged: number;
}

/**
 * Step 3. The rows (ascending) of a `[rows, dim]` float32 table whose bits differ between
 * `before` and `after`.
 */
export function changedRows(before: Float32Array, after: Float32Array, dim: number): number[] {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (before.length !== after.length) {
    throw new RangeError(
      `before and after must have the same length, got ${before.length} and ${after.length}`,
    );
  }
  if (before.length % dim !== 0) {
    throw new RangeError(`the arrays' length ${before.length} is not a multiple of dim ${dim}`);
  }
  const a = new Uint32Array(before.buffer, before.byteOffset, before.length);
  const b = new Uint32Array(after.buffer, after.byteOffset, after.length);
  const rows: number[] = [];
  for (let row = 0; row * dim < a.length; row++) {
    for (let j = row * dim; j < (row + 1) * dim; j++) {
      if (a[j] !== b[j]) {
        rows.push(row);
        break;
      }
    }
  }
  return rows;
}

/**
 * Step 3. The gradient of the batch's loss with respect to the embedding table of
 * `model`, as tfjs computes it (a dense `[vocab, dim]` tensor). The caller disposes it.
 */
export function embeddingGradient(
  model: tf.LayersModel,
  batch: TokenBatch,
  layerName: string = EMBEDDING_LAYER,
): tf.Tensor2D {
  const table = embeddingTable(model, layerName);
  const { ids, labels } = batchTensors(batch);
  try {
    const { value, grads } = tf.variableGrads(
      () => classifierLoss(model.apply(ids, { training: true }) as tf.Tensor, labels),
      [table],
    );
    value.dispose();
    return grads[table.name] as tf.Tensor2D;
  } finally {
    tf.dispose([ids, labels]);
  }
}

async function snapshot(table: tf.Variable, optimizer: tf.Optimizer): Promise<Map<string, Float32Array>> {
  const arrays = new Map<string, Float32Array>([["table", (table.dataSync() as Float32Array).slice()]]);
  const prefix = `${table.name}/`;
  for (const { name, tensor } of await optimizer.getWeights()) {
    if (name.startsWith(prefix)) {
      arrays.set(name.slice(prefix.length), (tensor.dataSync() as Float32Array).slice());
    }
  }
  return arrays;
}

/**
 * Step 3. Runs `step` (one training step that updates `table` with `optimizer`) and
 * reports which rows of the table and of the optimizer's slots for it changed. Slots
 * that do not exist yet (Adam creates its moments at the first step) count as zeros.
 */
export async function stepFootprint(
  step: () => unknown,
  table: tf.Variable,
  optimizer: tf.Optimizer,
): Promise<Footprint> {
  const [, dim] = table.shape;
  if (table.rank !== 2 || dim === undefined) {
    throw new RangeError(`table must be a [vocab, dim] variable, got shape [${table.shape}]`);
  }
  const before = await snapshot(table, optimizer);
  await step();
  const after = await snapshot(table, optimizer);
  const rows: Record<string, number[]> = {};
  let bytesChanged = 0;
  for (const [name, now] of after) {
    rows[name] = changedRows(before.get(name) ?? new Float32Array(now.length), now, dim);
    bytesChanged += rows[name].length * dim * Float32Array.BYTES_PER_ELEMENT;
  }
  return { rows, bytesChanged };
}

/**
 * Step 6. The number of elements the tfjs kernels run by `step` write: the sum, over
 * every kernel call `tf.profile` records, of the sizes of its outputs. Elementwise
 * kernels do about one operation per output element, so this counts the step's work.
 */
export async function kernelElements(step: () => unknown): Promise<number> {
  const info = await tf.profile(async () => {
    await step();
  });
  let elements = 0;
  for (const kernel of info.kernels) {
    for (const shape of kernel.outputShapes) elements += shape.reduce((size, d) => size * d, 1);
  }
  return elements;
}
