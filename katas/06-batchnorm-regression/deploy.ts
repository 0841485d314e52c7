/**
 * Kata 06, step 6: deploying the trained regressor through ONNX. `deno task kata 06` runs
 * the tests; the README's step 6 explains where the inverse label transform goes.
 *
 * Use the project's exporter and runtime, `exportOnnx` from `@lib/onnx/export.ts` and
 * `OnnxModel` from `@lib/onnx/runtime.ts`; do not write your own.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { DeployOptions, HeatmapRegressor, LabelScaler } from "./contract.ts";

export type { DeployOptions } from "./contract.ts";

/**
 * Step 6. The regressor's network (conv + batch norm, in inference form) as ONNX bytes.
 * With `labelUnits` and a scaler, the exported graph ends with the inverse label transform
 * `x · (max − min) + min` (e.g. a `tf.layers.rescaling` layer applied to the model's output
 * in a functional `tf.model` sharing its layers); without, it is the trained network itself.
 * Does not change `regressor.model`.
 */
export function exportRegressor(_regressor: HeatmapRegressor, _options: DeployOptions): Uint8Array {
  return notImplemented("exportRegressor", 6);
}

/**
 * Step 6. Runs ONNX bytes exported without `labelUnits` in onnxruntime-web (`OnnxModel`)
 * and applies the inverse label transform outside the graph with `scaler` (`null`: return
 * the output as is). Releases the onnxruntime session before returning.
 */
export function predictWithOnnx(
  _bytes: Uint8Array,
  _scaler: LabelScaler | null,
  _images: tf.Tensor4D,
): Promise<tf.Tensor4D> {
  return notImplemented("predictWithOnnx", 6);
}
