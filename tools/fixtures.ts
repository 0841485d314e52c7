/**
 * `deno task fixtures [--check] [NAME ...]`: regenerates the committed ONNX models in
 * `fixtures/models/` from the training code below, deterministically (one seed, the wasm backend,
 * the committed Fashion-MNIST mini subset), and rewrites `fixtures/models/README.md`.
 *
 * `--check` regenerates in memory instead and compares the committed file's outputs (run by
 * onnxruntime-web) with the regenerated model's outputs on each fixture's probe inputs; it fails
 * when a file is missing or differs by more than the fixture's tolerance. Tests use the committed
 * files, so they never train just to get a fixture.
 *
 * To add a fixture (e.g. for a new kata), append a {@linkcode Fixture} to {@linkcode FIXTURES}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { initBackend } from "@lib/backend/init.ts";
import { classificationScores } from "@lib/metrics/classification.ts";
import { loadFashionMnist } from "@lib/data/fashion_mnist.ts";
import { once } from "@lib/testing/once.ts";
import { exportOnnx } from "@lib/onnx/export.ts";
import { onnxParity } from "@lib/onnx/parity.ts";
import { type FeedData, OnnxModel } from "@lib/onnx/runtime.ts";
import { DEFAULT_SEED, seedEverything } from "@lib/core/random.ts";
import { ROOT } from "./katas.ts";

/** Where the committed models live. */
export const MODELS_DIR = `${ROOT}/fixtures/models`;

/** What a fixture's builder returns. */
export interface BuiltFixture {
  /** The trained tfjs model that is exported. */
  model: tf.LayersModel;
  /** Inputs on which `--check` compares committed and regenerated outputs (one tensor per model input). */
  probe: tf.Tensor[];
  /** Facts measured while building, written to the README and the model's doc string. */
  facts: Record<string, string | number>;
}

/** A committed model and the code that makes it. */
export interface Fixture {
  /** File stem: the model is `fixtures/models/<name>.onnx`. */
  name: string;
  /** What the model is and what its input must look like (README and doc string). */
  summary: string;
  /** Largest absolute output difference `--check` accepts. */
  tolerance: number;
  /** Trains the model; everything random must come from `Math.random`, which is seeded before each build. */
  build(): Promise<BuiltFixture>;
}

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}

/** Fashion-MNIST mini subset as float pixels times `scale`, [count, 784], with int32 labels. */
async function fashionSplit(split: "train" | "test", scale: number) {
  const data = await loadFashionMnist(split, { mini: true });
  const pixels = tf.tensor2d(Float32Array.from(data.images, (v) => v * scale), [
    data.count,
    data.rows * data.cols,
  ]);
  return { pixels, labels: tf.tensor1d(data.labels, "int32"), count: data.count };
}

/** Accuracy, mean top probability and log loss (probabilities floored at 1e-7) of a classifier. */
function scores(model: tf.LayersModel, pixels: tf.Tensor, labels: tf.Tensor) {
  const probabilities = model.predict(pixels) as tf.Tensor2D;
  const { accuracy, confidence, logLoss } = classificationScores(probabilities, labels.dataSync());
  probabilities.dispose();
  return { accuracy: round(accuracy), confidence: round(confidence), logLoss: round(logLoss) };
}

function describeScores(input: string, s: ReturnType<typeof scores>): Record<string, number> {
  return {
    [`mini test accuracy, ${input}`]: s.accuracy,
    [`mini test mean top probability, ${input}`]: s.confidence,
    [`mini test log loss, ${input}`]: s.logLoss,
  };
}

/** The 784-128-10 MLP trained on pixels / 255, shared by the two Fashion-MNIST fixtures. */
const fashionMlp = once(async () => {
  const train = await fashionSplit("train", 1 / 255);
  const pixels = tf.input({ shape: [784], name: "pixels" });
  const hidden = tf.layers.dense({ units: 128, activation: "relu", name: "hidden" });
  const output = tf.layers.dense({ units: 10, activation: "softmax", name: "probabilities" });
  const model = tf.model({
    name: "fashion_mlp",
    inputs: pixels,
    outputs: output.apply(hidden.apply(pixels)) as tf.SymbolicTensor,
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
  const epochs = 5;
  await model.fit(train.pixels, tf.oneHot(train.labels, 10), {
    epochs,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
  });
  tf.dispose([train.pixels, train.labels]);
  return {
    model,
    hidden,
    output,
    training: `${train.count} mini-subset images, pixels / 255, ${epochs} epochs, Adam 1e-3, batch 32`,
  };
});

/** The committed models. */
export const FIXTURES: Fixture[] = [
  {
    name: "fashion_mlp",
    summary:
      "Fashion-MNIST classifier, Dense 784-128 (ReLU)-10 (softmax). Input `pixels`: float32 [batch, 784], " +
      "pixel values scaled to [0, 1] (divide the raw 0-255 bytes by 255). Output `probabilities`: [batch, 10].",
    tolerance: 1e-4,
    async build() {
      const { model, training } = await fashionMlp();
      const scaled = await fashionSplit("test", 1 / 255);
      const raw = await fashionSplit("test", 1);
      const facts = {
        training,
        ...describeScores("pixels / 255", scores(model, scaled.pixels, scaled.labels)),
        ...describeScores("raw 0-255 pixels", scores(model, raw.pixels, raw.labels)),
      };
      tf.dispose([raw.pixels, raw.labels, scaled.labels]);
      return { model, probe: [scaled.pixels], facts };
    },
  },
  {
    name: "fashion_mlp_rescaling",
    summary:
      "The same trained weights as fashion_mlp with the preprocessing baked in: a Rescaling(1/255) layer " +
      "first. Input `pixels`: float32 [batch, 784], raw pixel values 0-255. Output `probabilities`: [batch, 10].",
    tolerance: 1e-4,
    async build() {
      const { hidden, output, training } = await fashionMlp();
      const pixels = tf.input({ shape: [784], name: "pixels" });
      const scaled = tf.layers.rescaling({ scale: 1 / 255, name: "rescale_0_1" }).apply(pixels);
      const outputs = output.apply(hidden.apply(scaled)) as tf.SymbolicTensor;
      const model = tf.model({ name: "fashion_mlp_rescaling", inputs: pixels, outputs });
      const raw = await fashionSplit("test", 1);
      const facts = {
        training,
        ...describeScores("raw 0-255 pixels", scores(model, raw.pixels, raw.labels)),
      };
      tf.dispose(raw.labels);
      return { model, probe: [raw.pixels], facts };
    },
  },
];

function docString(fixture: Fixture, built: BuiltFixture, seed: number): string {
  const facts = Object.entries(built.facts).map(([k, v]) => `${k}: ${v}`).join("; ");
  return `ml-katas fixture ${fixture.name} (regenerate: deno task fixtures, seed ${seed}). ${fixture.summary} ${facts}.`;
}

function readme(rows: { fixture: Fixture; built: BuiltFixture }[], seed: number): string {
  const sections = rows.map(({ fixture, built }) =>
    [
      `## ${fixture.name}.onnx`,
      "",
      fixture.summary,
      "",
      ...Object.entries(built.facts).map(([k, v]) => `- ${k}: ${v}`),
    ].join("\n")
  );
  return [
    "# Model fixtures",
    "",
    "ONNX models the katas' tests run with onnxruntime-web (`lib/onnx/runtime.ts`). Generated by",
    `\`deno task fixtures\` (tools/fixtures.ts) from seed ${seed} on the tfjs wasm backend, trained on the`,
    "committed Fashion-MNIST mini subset; exported with `lib/onnx/export.ts` (ONNX IR 8, opset 17).",
    "`deno task fixtures --check` verifies that regenerating reproduces them. Do not edit by hand.",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
}

async function maxDiffToCommitted(path: string, built: BuiltFixture): Promise<number> {
  const committed = await OnnxModel.load(path);
  try {
    const feeds = Object.fromEntries(
      committed.inputNames.map((
        name,
        i,
      ) => [name, { data: built.probe[i].dataSync() as FeedData, dims: built.probe[i].shape }]),
    );
    const fetched = (await committed.run(feeds))[committed.outputNames[0]];
    const predicted = built.model.predict(built.probe) as tf.Tensor;
    const expected = Float32Array.from(predicted.dataSync());
    predicted.dispose();
    if (expected.length !== fetched.data.length) return Infinity;
    return expected.reduce((worst, v, i) => Math.max(worst, Math.abs(v - fetched.data[i])), 0);
  } finally {
    await committed.release();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      check: { type: "boolean", default: false },
      seed: { type: "string", default: String(DEFAULT_SEED) },
    },
    allowPositionals: true,
  });
  const seed = Number(values.seed);
  const unknown = positionals.filter((name) => !FIXTURES.some((f) => f.name === name));
  if (unknown.length) {
    console.error(
      `unknown fixture ${unknown.join(", ")}; fixtures: ${FIXTURES.map((f) => f.name).join(", ")}`,
    );
    return 2;
  }
  await initBackend("wasm");
  const selected = FIXTURES.filter((f) => positionals.length === 0 || positionals.includes(f.name));
  const rows: { fixture: Fixture; built: BuiltFixture }[] = [];
  let failures = 0;
  for (const fixture of selected) {
    const path = `${MODELS_DIR}/${fixture.name}.onnx`;
    seedEverything(seed); // per fixture, so building one alone gives the same model as building all
    const built = await fixture.build();
    rows.push({ fixture, built });
    if (values.check) {
      let diff: number;
      try {
        diff = await maxDiffToCommitted(path, built);
      } catch (error) {
        console.error(`FAIL ${fixture.name}: ${(error as Error).message}`);
        failures++;
        continue;
      }
      const ok = diff <= fixture.tolerance;
      if (!ok) failures++;
      console.log(
        `${
          ok ? "ok  " : "FAIL"
        } ${fixture.name}: max |committed - regenerated| = ${diff} (tolerance ${fixture.tolerance})`,
      );
      continue;
    }
    const parity = await onnxParity(built.model, [built.probe]);
    if (parity > 1e-5) throw new Error(`${fixture.name}: the ONNX export differs from tfjs by ${parity}`);
    await Deno.mkdir(MODELS_DIR, { recursive: true });
    await Deno.writeFile(
      path,
      exportOnnx(built.model, { modelName: fixture.name, docString: docString(fixture, built, seed) }),
    );
    console.log(`wrote ${path} (ONNX vs tfjs max diff ${parity}); ${JSON.stringify(built.facts)}`);
  }
  if (!values.check && positionals.length === 0) {
    await Deno.writeTextFile(`${MODELS_DIR}/README.md`, readme(rows, seed));
  }
  return failures === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
