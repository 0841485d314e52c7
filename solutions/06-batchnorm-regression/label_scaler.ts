/**
 * Kata 06, step 1 (reference solution): a min-max scaler for regression labels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LabelScaler } from "./contract.ts";

function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Maps labels linearly onto [0, 1] using the smallest and largest value of the labels it
 * was fitted on (one minimum and one maximum for the whole tensor, not per pixel), and
 * maps model outputs back with {@linkcode MinMaxScaler.inverseTransform}.
 */
export class MinMaxScaler implements LabelScaler {
  #min: number | undefined;
  #max: number | undefined;
  #sampleShape: number[] | undefined;

  /** The smallest fitted label. Throws before fitting. */
  get min(): number {
    this.#requireFitted("min");
    return this.#min!;
  }

  /** The largest fitted label. Throws before fitting. */
  get max(): number {
    this.#requireFitted("max");
    return this.#max!;
  }

  /**
   * Learns the minimum and maximum of `labels` (the training labels only), and the shape
   * of one sample (`labels.shape` without the batch dimension). Returns `this`.
   */
  fit(labels: tf.Tensor): this {
    if (labels.rank < 1 || labels.size === 0) {
      throw new Error(
        `MinMaxScaler.fit: expected a non-empty batch of labels [count, ...], got shape ${
          shapeText(labels.shape)
        }`,
      );
    }
    const [min, max] = tf.tidy(() => [labels.min().dataSync()[0], labels.max().dataSync()[0]]);
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      throw new Error(`MinMaxScaler.fit: labels contain NaN or infinite values (min ${min}, max ${max})`);
    }
    this.#min = min;
    this.#max = max;
    this.#sampleShape = labels.shape.slice(1);
    return this;
  }

  /**
   * `(labels - min) / (max - min)`: the fitted range maps onto [0, 1]; values outside it
   * map outside [0, 1]. When every fitted label was equal (`max = min`) the labels are only
   * shifted (divided by 1), so the result is finite.
   */
  transform(labels: tf.Tensor): tf.Tensor {
    this.#check("transform", labels);
    return tf.tidy(() => labels.sub(this.#min!).div(this.#range()));
  }

  /** `scaled * (max - min) + min`: the inverse of {@linkcode MinMaxScaler.transform}. */
  inverseTransform(scaled: tf.Tensor): tf.Tensor {
    this.#check("inverseTransform", scaled);
    return tf.tidy(() => scaled.mul(this.#range()).add(this.#min!));
  }

  #range(): number {
    const range = this.#max! - this.#min!;
    return range > 0 ? range : 1;
  }

  #requireFitted(method: string): void {
    if (this.#sampleShape === undefined) {
      throw new Error(`MinMaxScaler.${method}: the scaler is not fitted; call fit(trainingLabels) first`);
    }
  }

  #check(method: string, t: tf.Tensor): void {
    this.#requireFitted(method);
    const expected = this.#sampleShape!;
    const got = t.shape.slice(1);
    if (t.rank !== expected.length + 1 || got.some((d, i) => d !== expected[i])) {
      const fitted = shapeText(["count", ...expected]);
      throw new Error(
        `MinMaxScaler.${method}: the scaler was fitted on labels of shape ${fitted} but got ` +
          `${shapeText(t.shape)}; pass labels shaped like the training labels`,
      );
    }
  }
}
