/**
 * Kata 06, step 1: a min-max scaler for regression labels. `deno task kata 06` runs the
 * tests; the README's steps explain what each method is for.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { LabelScaler } from "./contract.ts";

/**
 * Maps labels linearly onto [0, 1] using the smallest and largest value of the labels it
 * was fitted on — one minimum and one maximum for the whole tensor, not one per pixel —
 * and maps model outputs back to label units with {@linkcode MinMaxScaler.inverseTransform}.
 *
 * Rules the tests check:
 * - `fit` sees the training labels only; `transform` never refits, so labels outside the
 *   fitted range map outside [0, 1].
 * - When every fitted label is equal (`max = min`), divide by 1 instead of 0: the result
 *   stays finite and `inverseTransform` still gives the labels back.
 * - Using the scaler before `fit`, or on tensors whose shape after the batch dimension
 *   differs from the fitted labels', throws an `Error` that says what to do (mention `fit`,
 *   or the `shape` expected and the shape received). `fit` on an empty tensor throws too.
 * - Inputs are neither modified nor disposed; every returned tensor is new, and the
 *   scaler itself holds no tensors (its minimum and maximum are numbers).
 */
export class MinMaxScaler implements LabelScaler {
  /** The smallest fitted label. Throws before fitting. */
  get min(): number {
    return notImplemented("MinMaxScaler.min", 1);
  }

  /** The largest fitted label. Throws before fitting. */
  get max(): number {
    return notImplemented("MinMaxScaler.max", 1);
  }

  /**
   * Learns the minimum and maximum of `labels` (the training labels, shape `[count, ...]`)
   * and the shape of one sample (`labels.shape.slice(1)`). Returns `this`.
   */
  fit(_labels: tf.Tensor): this {
    return notImplemented("MinMaxScaler.fit", 1);
  }

  /** `(labels - min) / (max - min)`, or `labels - min` when `max = min`. */
  transform(_labels: tf.Tensor): tf.Tensor {
    return notImplemented("MinMaxScaler.transform", 1);
  }

  /** `scaled * (max - min) + min` (with `max - min` replaced by 1 when it is 0): undoes `transform`. */
  inverseTransform(_scaled: tf.Tensor): tf.Tensor {
    return notImplemented("MinMaxScaler.inverseTransform", 1);
  }
}
