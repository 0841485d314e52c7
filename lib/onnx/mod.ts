/**
 * tfjs Layers models to ONNX and back: the exporter, the onnxruntime-web runner and the parity check.
 *
 * `export.ts` exports a model (`layers/`: one converter per layer family, `graph.ts` and `proto.ts` build
 * the graph); `runtime.ts` runs ONNX models in onnxruntime-web and checks every input; `parity.ts` compares
 * tfjs and ONNX outputs.
 *
 * @example Usage
 * ```ts
 * import { exportOnnx, OnnxModel } from "@lib/onnx/mod.ts";
 * import * as tf from "@tensorflow/tfjs";
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
 * const out = await OnnxModel.predictOnce(exportOnnx(model), tf.zeros([1, 2]));
 * console.log(out.shape); // [1, 1]
 * ```
 * @module
 */
export * from "./export.ts";
export * from "./parity.ts";
export * from "./runtime.ts";
