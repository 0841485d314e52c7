/**
 * tfjs backends compared (`deno bench -A bench/backends_bench.ts`, or `deno task bench`):
 *
 * - `matmul N²`: one N×N by N×N float32 product, result read back, N = 256, 512, 1024.
 * - `MLP epoch`: one training epoch of a Dense 784-128 (ReLU)-10 (softmax) classifier on the
 *   committed Fashion-MNIST mini subset (3,000 images, pixels / 255), Adam 1e-3, batch 32,
 *   no shuffling — the same epoch `bench/torch_mlp_epoch.py` times in PyTorch.
 *
 * Backends: `cpu`, `wasm` with the kernels `initBackend()` adds (`lib/backend/wasm_kernels.ts`,
 * `lib/backend/wasm_matmul.ts`: what the katas run; the threaded build with `KATA_WASM_THREADS` threads, default the
 * number of cores, see `lib/backend/wasm_threads.ts`; named `wasm×N`), and `webgpu` only where a real
 * (non-fallback) adapter exists; it says so when it skips webgpu. `wasm` is each group's
 * baseline, so `deno bench` prints how many times faster or slower the others are.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { hasRealGpu } from "@lib/backend/init.ts";
import { loadFashionMnist } from "@lib/data/fashion_mnist.ts";
import { registerWasmTrainingKernels } from "@lib/backend/wasm_kernels.ts";
import { registerFastTransposedMatMul } from "@lib/backend/wasm_matmul.ts";
import { enableWasmThreads, requestedWasmThreads } from "@lib/backend/wasm_threads.ts";

/** Matrix sizes and iterations per backend (cpu is slow at 1024², so fewer runs there). */
const MATMUL_SIZES: [size: number, n: number][] = [[256, 30], [512, 10], [1024, 4]];
const EPOCH_RUNS = 3;
const BATCH_SIZE = 32;

const threads = requestedWasmThreads();
enableWasmThreads(threads);
registerWasmTrainingKernels();
registerFastTransposedMatMul();
const wasmLabel = `wasm×${threads}`;

const backends: [name: string, label: string][] = [["wasm", wasmLabel], ["cpu", "cpu"]];
if (await hasRealGpu()) {
  await import("@tensorflow/tfjs-backend-webgpu");
  backends.push(["webgpu", "webgpu"]);
} else {
  console.error("backends_bench: webgpu skipped: no real (non-fallback) WebGPU adapter");
}

/** Switches tfjs to `name`, initialising it on first use, and silences cpu's banner. */
async function use(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" failed to initialise`);
  if (name === "cpu") (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
}

const train = await loadFashionMnist("train", { mini: true });
const pixels = Float32Array.from(train.images, (v) => v / 255);

/** A fresh classifier and its data, on the current backend. */
function mlpRig(): { model: tf.Sequential; xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  const xs = tf.tensor2d(pixels, [train.count, 784]);
  const ys = tf.oneHot(tf.tensor1d(train.labels, "int32"), 10).toFloat() as tf.Tensor2D;
  return { model, xs, ys };
}

for (const [size, n] of MATMUL_SIZES) {
  for (const [name, label] of backends) {
    let operands: [tf.Tensor2D, tf.Tensor2D] | undefined;
    Deno.bench({
      name: `matmul ${size}² ${label}`,
      group: `matmul ${size}²`,
      baseline: name === "wasm",
      n: name === "cpu" ? Math.max(2, Math.ceil(n / 4)) : n,
      warmup: 1,
      async fn(b) {
        await use(name);
        operands ??= [
          tf.randomUniform([size, size], -1, 1, "float32", 1),
          tf.randomUniform([size, size], -1, 1, "float32", 2),
        ];
        b.start();
        const product = tf.matMul(...operands);
        await product.data();
        b.end();
        product.dispose();
      },
    });
  }
}

for (const [name, label] of backends) {
  let rig: ReturnType<typeof mlpRig> | undefined;
  Deno.bench({
    name: `MLP epoch ${label}`,
    group: "MLP epoch (Fashion-MNIST mini, 3000 images, batch 32)",
    baseline: name === "wasm",
    n: EPOCH_RUNS,
    warmup: 1,
    async fn(b) {
      await use(name);
      rig ??= mlpRig();
      b.start();
      await rig.model.fit(rig.xs, rig.ys, { epochs: 1, batchSize: BATCH_SIZE, shuffle: false, verbose: 0 });
      b.end();
    },
  });
}
