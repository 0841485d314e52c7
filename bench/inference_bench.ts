/**
 * Inference with the exported Fashion-MNIST classifier `fixtures/models/fashion_mlp.onnx`
 * (Dense 784-128 (ReLU)-10 (softmax)), batch 1 and 256 images of the mini test set:
 *
 * - `onnxruntime-web`: `OnnxModel.run` (lib/onnx/runtime.ts: the wasm backend, 1 thread),
 *   raw Float32Array in and out.
 * - `tfjs`: the same architecture in tfjs Layers holding the ONNX file's weights, `predict`
 *   and read back, on the wasm backend (threaded build with `KATA_WASM_THREADS` threads,
 *   default the number of cores; named `wasm×N`). The two agree to 1e-5 or the bench refuses
 *   to run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadFashionMnist } from "@lib/data/fashion_mnist.ts";
import { decodeModel } from "@lib/onnx/proto.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import { enableWasmThreads, requestedWasmThreads } from "@lib/backend/wasm_threads.ts";

const MODEL = new URL("../fixtures/models/fashion_mlp.onnx", import.meta.url);
const BATCHES = [1, 256];

const threads = requestedWasmThreads();
enableWasmThreads(threads);
if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialise");

const bytes = await Deno.readFile(MODEL);
const onnx = await OnnxModel.load(bytes);

/** The ONNX file's weights in an equivalent tfjs model. */
function tfjsTwin(): tf.Sequential {
  const weights = new Map<string, tf.Tensor>();
  for (const init of decodeModel(bytes).graph?.initializer ?? []) {
    const raw = init.rawData!.slice();
    weights.set(init.name!, tf.tensor(new Float32Array(raw.buffer), (init.dims ?? []).map(Number)));
  }
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ name: "hidden", units: 128, activation: "relu", inputShape: [784] }),
      tf.layers.dense({ name: "probabilities", units: 10, activation: "softmax" }),
    ],
  });
  for (const layer of model.layers) {
    layer.setWeights([weights.get(`${layer.name}/kernel`)!, weights.get(`${layer.name}/bias`)!]);
  }
  tf.dispose([...weights.values()]);
  return model;
}

const model = tfjsTwin();
const test = await loadFashionMnist("test", { mini: true });
const pixels = Float32Array.from(test.images.subarray(0, 784 * Math.max(...BATCHES)), (v) => v / 255);

for (const batch of BATCHES) {
  const data = pixels.subarray(0, 784 * batch);
  const feeds = { [onnx.inputNames[0]]: { data, dims: [batch, 784] } };
  const x = tf.tensor2d(data, [batch, 784]);

  const fromOnnx = (await onnx.run(feeds))[onnx.outputNames[0]].data;
  const fromTfjs = await (model.predict(x) as tf.Tensor).data();
  const diff = Math.max(...fromOnnx.map((v, i) => Math.abs(v - fromTfjs[i])));
  if (!(diff < 1e-5)) throw new Error(`tfjs and onnxruntime-web disagree by ${diff} at batch ${batch}`);

  Deno.bench({
    name: `predict batch ${batch} onnxruntime-web`,
    group: `predict batch ${batch}`,
    baseline: true,
    async fn() {
      await onnx.run(feeds);
    },
  });
  Deno.bench({
    name: `predict batch ${batch} tfjs wasm×${threads}`,
    group: `predict batch ${batch}`,
    async fn() {
      const y = model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    },
  });
}
