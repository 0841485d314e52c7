/**
 * Kata 03, steps 3 and 6 (reference): what one training step reads, computes and changes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { classifierLoss, EMBEDDING_LAYER, embeddingTable } from "@lib/models/text_classifier.ts";
import { batchTensors, type TokenBatch } from "@lib/data/token_batches.ts";
import type { Footprint } from "./contract.ts";

export type { Footprint } from "./contract.ts";

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
    } else if (name === "iter") {
      tensor.dispose(); // getWeights() makes a new tensor of the step count on every call
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

/** The part of a tfjs backend that makes every new buffer (kernel outputs and tensors made from values). */
interface BufferWriter {
  write(values: unknown, shape: number[], dtype: tf.DataType): unknown;
}

const BYTES_PER_ELEMENT: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * Step 6. The bytes `step` writes into new tfjs buffers. `tf.profile` lists every kernel's
 * output, but some outputs are the input's own buffer (`Identity`, `Reshape`): the backend's
 * `write`, which allocates every new buffer, is the place that knows. It is wrapped for the
 * duration of the step.
 */
export async function bytesWritten(step: () => unknown): Promise<number> {
  const backend = tf.backend() as unknown as BufferWriter;
  const { write } = backend;
  const own = Object.hasOwn(backend, "write");
  let bytes = 0;
  backend.write = function (values, shape, dtype) {
    bytes += shape.reduce((size, d) => size * d, 1) * (BYTES_PER_ELEMENT[dtype] ?? 0);
    return write.call(this, values, shape, dtype);
  };
  try {
    await step();
  } finally {
    if (own) backend.write = write;
    else delete (backend as Partial<BufferWriter>).write;
  }
  return bytes;
}
