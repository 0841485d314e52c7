/**
 * Parity of the ONNX exporter, layer by layer and in combinations: random models with random
 * weights (no zero biases or unit variances left), random inputs at batch sizes 1, 3 and 8;
 * tfjs `predict` and onnxruntime-web must agree to 1e-5 max absolute difference (LSTM 1e-4).
 *
 * Set ONNX_PARITY_DUMP=<dir> to keep every exported model (then `deno run -A tools/tasks/onnx_check.ts <dir>`
 * validates them with the official ONNX checker); KATA_MEASURE=1 prints each max difference.
 */
import * as tf from "@tensorflow/tfjs";
import { assertLessOrEqual } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { measured } from "@lib/testing/measure.ts";
import { createRng, kataSeed, seedEverything } from "@lib/core/random.ts";
import { SUPPORTED_ACTIVATIONS } from "./layers/activations.ts";
import { onnxParity, randomizeWeights } from "./parity.ts";

await initBackend();
seedEverything(kataSeed());
const rng = createRng(kataSeed());
const dumpTo = (() => {
  try {
    return Deno.env.get("ONNX_PARITY_DUMP");
  } catch {
    return undefined; // no --allow-env: nothing to dump
  }
})();
const BATCHES = [1, 3, 8];
const ATOL = 1e-5;
const LSTM_ATOL = 1e-4;

type Input = (batch: number) => tf.Tensor | tf.Tensor[];

function normal(shape: number[], scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => scale * rng.normal()), shape);
}

function indices(shape: number[], n: number, dtype: "float32" | "int32"): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: size }, () => rng.int(n)), shape, dtype);
}

function model(name: string, inputs: tf.SymbolicTensor[], outputs: tf.SymbolicTensor[]): tf.LayersModel {
  return tf.model({ name, inputs, outputs });
}

function chain(x: tf.SymbolicTensor, ...layers: tf.layers.Layer[]): tf.SymbolicTensor {
  return layers.reduce((h, layer) => layer.apply(h) as tf.SymbolicTensor, x);
}

function sequential(name: string, inputShape: number[], ...layers: tf.layers.Layer[]): tf.LayersModel {
  const x = tf.input({ shape: inputShape });
  return model(name, [x], [chain(x, ...layers)]);
}

async function expectParity(m: tf.LayersModel, input: Input, atol = ATOL, opset?: number): Promise<void> {
  randomizeWeights(m, rng);
  const sets = BATCHES.map(input);
  const diff = measured(`onnx parity ${m.name}`, await onnxParity(m, sets, { dumpTo, opset }));
  tf.dispose(sets.flat());
  assertLessOrEqual(
    diff,
    atol,
    `${m.name}: tfjs and ONNX outputs differ by ${diff} (max abs), more than ${atol}`,
  );
}

describe("ONNX export parity with tfjs", () => {
  it("Dense matches for every activation tfjs offers", async () => {
    for (const activation of SUPPORTED_ACTIVATIONS) {
      const m = sequential(
        `dense_${activation}`,
        [6],
        tf.layers.dense({ units: 5, activation: activation as "relu" }),
      );
      await expectParity(m, (n) => normal([n, 6], 2));
    }
  });

  it("Dense works on rank-3 inputs and without bias", async () => {
    const m = sequential(
      "dense_rank3",
      [4, 6],
      tf.layers.dense({ units: 3, useBias: false, activation: "softmax" }),
    );
    await expectParity(m, (n) => normal([n, 4, 6]));
  });

  it("an MLP (Dense, Dropout, BatchNormalization) matches at opsets 13, 15 and 17", async () => {
    for (const opset of [13, 15, 17]) {
      const m = sequential(
        `mlp_opset${opset}`,
        [20],
        tf.layers.dense({ units: 16, activation: "relu" }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 10, activation: "softmax" }),
      );
      await expectParity(m, (n) => normal([n, 20]), ATOL, opset);
    }
  });

  it("Activation layers match, including softmax over the channels of an NCHW-held image", async () => {
    for (const activation of ["softmax", "logSoftmax", "hardSigmoid", "gelu"]) {
      const m = sequential(
        `conv_activation_${activation}`,
        [6, 6, 3],
        tf.layers.conv2d({ filters: 4, kernelSize: 3 }),
        tf.layers.activation({ activation: activation as "relu" }),
      );
      await expectParity(m, (n) => normal([n, 6, 6, 3]));
    }
  });

  it("advanced activation layers match (ReLU, LeakyReLU, ELU, ThresholdedReLU, PReLU, Softmax)", async () => {
    const layers = () => [
      tf.layers.reLU({ maxValue: 1.5 }),
      tf.layers.reLU(),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.elu(),
      tf.layers.thresholdedReLU({ theta: 0.3 }),
      tf.layers.prelu(),
      tf.layers.softmax({ axis: -1 }),
    ];
    for (const layer of layers()) {
      const m = sequential(`advanced_${layer.getClassName()}_${layer.name}`, [5, 4], layer);
      await expectParity(m, (n) => normal([n, 5, 4], 2));
    }
  });

  it("BatchNormalization uses the moving statistics on ranks 2, 3 and 4, with and without center/scale", async () => {
    for (
      const [shape, center, scale] of [[[7], true, true], [[5, 7], false, true], [
        [4, 4, 7],
        true,
        false,
      ]] as const
    ) {
      const m = sequential(
        `bn_rank${shape.length + 1}`,
        [...shape],
        tf.layers.batchNormalization({ center, scale, epsilon: 0.01 }),
      );
      await expectParity(m, (n) => normal([n, ...shape]));
    }
  });

  it("conv + BN + pooling + Flatten + Dense match: Flatten uses tfjs's NHWC order", async () => {
    const m = sequential(
      "conv_bn_net",
      [12, 12, 3],
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same", activation: "relu" }),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: "valid", useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: "elu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: "softmax" }),
    );
    await expectParity(m, (n) => normal([n, 12, 12, 3]));
  });

  it("Conv2D matches with same/valid padding, strides, dilation and odd sizes", async () => {
    const configs: Parameters<typeof tf.layers.conv2d>[0][] = [
      { filters: 3, kernelSize: [3, 2], strides: 2, padding: "same" },
      { filters: 3, kernelSize: 3, strides: [1, 2], padding: "valid" },
      { filters: 3, kernelSize: 3, dilationRate: 2, padding: "same" },
      { filters: 3, kernelSize: 1, padding: "same", activation: "sigmoid" },
    ];
    for (const [i, config] of configs.entries()) {
      const m = sequential(`conv_${i}`, [9, 7, 2], tf.layers.conv2d(config));
      await expectParity(m, (n) => normal([n, 9, 7, 2]));
    }
  });

  it("max, average and global pooling match (same padding excludes the border from averages)", async () => {
    const pools = [
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }),
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: "same" }),
      tf.layers.averagePooling2d({ poolSize: [2, 3], padding: "valid" }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.globalMaxPooling2d({}),
    ];
    for (const pool of pools) {
      const m = sequential(`pool_${pool.name}`, [7, 8, 3], pool);
      await expectParity(m, (n) => normal([n, 7, 8, 3]));
    }
  });

  it("Reshape feeds a Conv2D, and reshapes its NHWC output with an inferred -1", async () => {
    const m = sequential(
      "reshape_conv",
      [12],
      tf.layers.dense({ units: 32 }),
      tf.layers.reshape({ targetShape: [4, 4, 2] }),
      tf.layers.conv2d({ filters: 3, kernelSize: 2 }),
      tf.layers.reshape({ targetShape: [-1, 3] }),
      tf.layers.dense({ units: 2 }),
    );
    await expectParity(m, (n) => normal([n, 12]));
  });

  it("Dropout and the noise layers are removed at inference", async () => {
    const m = sequential(
      "noise_layers",
      [6, 4],
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.spatialDropout1d({ rate: 0.5 }),
      tf.layers.gaussianNoise({ stddev: 1 }),
      tf.layers.gaussianDropout({ rate: 0.5 }),
      tf.layers.alphaDropout({ rate: 0.5 }),
      tf.layers.dense({ units: 2 }),
    );
    await expectParity(m, (n) => normal([n, 6, 4]));
  });

  it("Rescaling bakes preprocessing in, for float and int32 inputs", async () => {
    for (const dtype of ["float32", "int32"] as const) {
      const x = tf.input({ shape: [6], dtype });
      const h = chain(
        x,
        tf.layers.rescaling({ scale: 1 / 255, offset: -0.5 }),
        tf.layers.dense({ units: 3 }),
      );
      await expectParity(model(`rescaling_${dtype}`, [x], [h]), (n) => indices([n, 6], 256, dtype));
    }
  });

  it("Embedding + LSTM matches (default hard-sigmoid gates, float and int32 indices, any sequence length)", async () => {
    for (const [dtype, length] of [["float32", 7], ["int32", null]] as const) {
      const x = tf.input({ shape: [length], dtype });
      const h = chain(
        x,
        tf.layers.embedding({ inputDim: 20, outputDim: 5 }),
        tf.layers.lstm({ units: 6, returnSequences: true }),
        tf.layers.lstm({ units: 4 }),
        tf.layers.dense({ units: 2 }),
      );
      await expectParity(
        model(`embedding_lstm_${dtype}`, [x], [h]),
        (n) => indices([n, length ?? 3 + n], 20, dtype),
        LSTM_ATOL,
      );
    }
  });

  it("LSTM matches with returnSequences, goBackwards, returnState and other activations", async () => {
    const configs = [
      { returnSequences: true },
      { returnSequences: true, goBackwards: true },
      { goBackwards: true },
      { returnSequences: true, returnState: true },
      { returnState: true },
      { recurrentActivation: "sigmoid", activation: "relu", useBias: false },
      { recurrentActivation: "hardSigmoid", activation: "hardSigmoid" },
      { recurrentActivation: "sigmoid", activation: "elu" },
      { recurrentActivation: "softsign", activation: "softplus" },
      { recurrentActivation: "sigmoid", activation: "linear" },
    ] as const;
    for (const [i, config] of configs.entries()) {
      const x = tf.input({ shape: [5, 3] });
      const out = tf.layers.lstm({ units: 4, ...config }).apply(x) as tf.SymbolicTensor | tf.SymbolicTensor[];
      const m = model(`lstm_${i}`, [x], Array.isArray(out) ? out : [out]);
      await expectParity(m, (n) => normal([n, 5, 3]), LSTM_ATOL);
    }
  });

  it("a multi-input functional model with Concatenate and element-wise merges matches", async () => {
    const a = tf.input({ shape: [6], name: "a" });
    const b = tf.input({ shape: [4], name: "b" });
    const ha = tf.layers.dense({ units: 5, activation: "tanh" }).apply(a) as tf.SymbolicTensor;
    const hb = tf.layers.dense({ units: 5, activation: "relu" }).apply(b) as tf.SymbolicTensor;
    const merged = [
      tf.layers.add(),
      tf.layers.multiply(),
      tf.layers.average(),
      tf.layers.maximum(),
      tf.layers.minimum(),
    ]
      .map((layer) => layer.apply([ha, hb]) as tf.SymbolicTensor);
    const joined = tf.layers.concatenate().apply([ha, hb, ...merged]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3, activation: "softmax" }).apply(joined) as tf.SymbolicTensor;
    await expectParity(model("functional_merge", [a, b], [out, ha]), (n) => [normal([n, 6]), normal([n, 4])]);
  });

  it("merging NCHW feature maps (Concatenate on channels, Add) matches", async () => {
    const x = tf.input({ shape: [6, 6, 2] });
    const c1 = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: "same" }).apply(x) as tf.SymbolicTensor;
    const c2 = tf.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([c1, c2]) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate().apply([c1, sum]) as tf.SymbolicTensor;
    const rows = tf.layers.concatenate({ axis: 1 }).apply([cat, cat]) as tf.SymbolicTensor;
    await expectParity(model("conv_merge", [x], [rows]), (n) => normal([n, 6, 6, 2]));
  });
});
