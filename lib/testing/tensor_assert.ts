/**
 * Tensor assertions for tests, with failure messages a learner can act on: a shape or
 * dtype mismatch is reported as such, and a value mismatch names the worst element
 * (its index, the expected and the actual value) instead of printing every number.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
 * assertTensorClose(tf.tensor([1, 2.0000001]), tf.tensor([1, 2]), { atol: 1e-6 });
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { AssertionError } from "@std/assert";

/** Anything with values and a shape: a tfjs tensor, or plain numbers with a shape. */
export type TensorLike = tf.Tensor | { values: ArrayLike<number>; shape: readonly number[]; dtype?: string };

/** Tolerances: `|actual - expected| <= atol + rtol * |expected|` element-wise. */
export interface Tolerance {
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 0). */
  rtol?: number;
}

function unpack(t: TensorLike): { values: ArrayLike<number>; shape: number[]; dtype: string } {
  if ("dataSync" in t) return { values: t.dataSync() as ArrayLike<number>, shape: t.shape, dtype: t.dtype };
  return { values: t.values, shape: [...t.shape], dtype: t.dtype ?? "float32" };
}

function indexOf(flat: number, shape: number[]): number[] {
  const index: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    index.unshift(flat % shape[i]);
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}

/**
 * Asserts `actual` and `expected` have the same shape and dtype and are element-wise
 * close. NaN equals only NaN.
 *
 * @example Usage
 * ```ts
 * import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
 * assertTensorClose({ values: [1, 2], shape: [2] }, { values: [1, 2.001], shape: [2] }, { atol: 0.01 });
 * ```
 * @param actual What the code under test produced.
 * @param expected What it should have produced.
 * @param tolerance Absolute and relative tolerance.
 * @param msg A sentence prefixed to the failure message.
 */
export function assertTensorClose(
  actual: TensorLike,
  expected: TensorLike,
  tolerance: Tolerance = {},
  msg?: string,
): void {
  const { atol = 1e-6, rtol = 0 } = tolerance;
  const a = unpack(actual);
  const e = unpack(expected);
  const prefix = msg ? `${msg}: ` : "";
  const describe = (t: { shape: number[]; dtype: string }) => `${t.dtype}[${t.shape.join(", ")}]`;
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    throw new AssertionError(`${prefix}shape mismatch: expected ${describe(e)}, got ${describe(a)}`);
  }
  if (a.dtype !== e.dtype) {
    throw new AssertionError(`${prefix}dtype mismatch: expected ${describe(e)}, got ${describe(a)}`);
  }
  let worst = -1;
  let worstExcess = 0;
  let failures = 0;
  for (let i = 0; i < e.values.length; i++) {
    const x = a.values[i];
    const y = e.values[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const excess = Number.isNaN(x) || Number.isNaN(y)
      ? Infinity
      : Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > 0) {
      failures++;
      if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  if (failures > 0) {
    throw new AssertionError(
      `${prefix}${failures} of ${e.values.length} elements of ${
        describe(e)
      } differ beyond atol=${atol}, rtol=${rtol}; ` +
        `worst at [${indexOf(worst, e.shape).join(", ")}]: expected ${e.values[worst]}, got ${
          a.values[worst]
        }`,
    );
  }
}
