/**
 * Kata 06, step 6 (reference solution): deploying the trained regressor through ONNX.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { exportOnnx } from "@lib/onnx/export.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import type { DeployOptions, HeatmapRegressor, LabelScaler } from "./contract.ts";

export type { DeployOptions } from "./contract.ts";

/**
 * Step 6. The regressor's network as ONNX bytes, made with the project's exporter; with
 * `labelUnits`, a Rescaling layer (`x · (max − min) + min`) is appended first.
 */
export function exportRegressor(regressor: HeatmapRegressor, { labelUnits }: DeployOptions): Uint8Array {
  const { model, scaler } = regressor;
  if (!labelUnits || scaler === null) return exportOnnx(model, { modelName: "heatmap_regressor" });
  const range = scaler.max - scaler.min;
  const rescale = tf.layers.rescaling({
    scale: range > 0 ? range : 1,
    offset: scaler.min,
    name: "label_units",
  });
  const output = rescale.apply(model.outputs[0]) as tf.SymbolicTensor;
  const deployed = tf.model({ inputs: model.inputs, outputs: output, name: "heatmap_regressor_label_units" });
  return exportOnnx(deployed, { modelName: "heatmap_regressor" });
}

/**
 * Step 6. Runs ONNX bytes exported without `labelUnits` in onnxruntime-web and applies the
 * inverse label transform outside the graph (`scaler` `null`: the output is returned as is).
 */
export async function predictWithOnnx(
  bytes: Uint8Array,
  scaler: LabelScaler | null,
  images: tf.Tensor4D,
): Promise<tf.Tensor4D> {
  const out = await OnnxModel.predictOnce(bytes, images);
  if (scaler === null) return out as tf.Tensor4D;
  const labels = scaler.inverseTransform(out) as tf.Tensor4D;
  out.dispose();
  return labels;
}
