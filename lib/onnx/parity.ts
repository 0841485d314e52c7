/**
 * Parity between a tfjs model and its ONNX export: the largest absolute difference between
 * tfjs `predict` and onnxruntime-web on the same inputs, over every output. Used by the exporter's
 * tests, and by anyone who wants to confirm an exported model before shipping it.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createRng } from "@lib/core/random.ts";
 * import { onnxParity, randomizeWeights } from "@lib/onnx/parity.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: "tanh" })] });
 * randomizeWeights(model, createRng(1));
 * const diff = await onnxParity(model, [tf.randomNormal([2, 4]), tf.randomNormal([5, 4])]);
 * console.log(diff < 1e-5); // true
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/random.ts";
import { exportOnnx, type ExportOptions } from "./export.ts";
import { type Feed, type FeedData, OnnxModel } from "./runtime.ts";

/** Options of {@linkcode onnxParity}. */
export interface ParityOptions extends ExportOptions {
  /** When set, the exported file is also written to `<dumpTo>/<model name>.onnx` (for the ONNX checker). */
  dumpTo?: string;
}

/**
 * Sets every weight of `model` to random values, so that no parameter keeps an initial value
 * (zero biases, unit variances) that could hide a conversion error. Moving variances are drawn
 * from [0.5, 1.5), everything else from N(0, 0.5²).
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createRng } from "@lib/core/random.ts";
 * import { randomizeWeights } from "@lib/onnx/parity.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] })] });
 * randomizeWeights(model, createRng(7));
 * console.log(model.getWeights()[1].dataSync()[0] !== 0); // true: the bias is no longer zero
 * ```
 * @param model The model to modify.
 * @param rng The random source.
 */
export function randomizeWeights(model: tf.LayersModel, rng: Rng): void {
  const current = model.getWeights();
  const values = current.map((w, i) => {
    const draw = model.weights[i].originalName.endsWith("moving_variance")
      ? () => 0.5 + rng.uniform()
      : () => 0.5 * rng.normal();
    return tf.tensor(Float32Array.from({ length: w.size }, draw), w.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/**
 * Exports `model` to ONNX, runs tfjs and onnxruntime-web on each input set, and returns the
 * largest absolute difference over all outputs and input sets.
 *
 * @param model The tfjs model.
 * @param inputSets Input sets (a tensor, or one tensor per model input), e.g. several batch sizes.
 * @param options Export options, and `dumpTo` to keep the exported file.
 * @returns The maximum absolute difference.
 */
export async function onnxParity(
  model: tf.LayersModel,
  inputSets: (tf.Tensor | tf.Tensor[])[],
  options: ParityOptions = {},
): Promise<number> {
  const bytes = exportOnnx(model, options);
  if (options.dumpTo) {
    await Deno.mkdir(options.dumpTo, { recursive: true });
    await Deno.writeFile(`${options.dumpTo}/${model.name}.onnx`, bytes);
  }
  const onnx = await OnnxModel.load(bytes);
  let worst = 0;
  try {
    for (const set of inputSets) {
      const inputs = Array.isArray(set) ? set : [set];
      const feeds: Record<string, Feed> = {};
      onnx.inputNames.forEach((name, i) =>
        feeds[name] = { data: inputs[i].dataSync() as FeedData, dims: inputs[i].shape }
      );
      const fetched = await onnx.run(feeds);
      const predicted = model.predict(inputs);
      const expected = Array.isArray(predicted) ? predicted : [predicted];
      expected.forEach((e, i) => {
        const got = fetched[onnx.outputNames[i]];
        if (JSON.stringify(got.dims) !== JSON.stringify(e.shape)) {
          throw new Error(`ONNX output "${onnx.outputNames[i]}" has shape [${got.dims}], tfjs [${e.shape}]`);
        }
        const values = e.dataSync();
        for (let j = 0; j < values.length; j++) worst = Math.max(worst, Math.abs(values[j] - got.data[j]));
      });
      tf.dispose(expected);
    }
  } finally {
    await onnx.release();
  }
  return worst;
}
