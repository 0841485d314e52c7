import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { generateHeatmapData } from "@lib/data/heatmaps.ts";
import { kataSeed } from "@lib/core/random.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { MinMaxScaler } from "./label_scaler.ts";

await initBackend();
const SEED = kataSeed();

describe("kata 06, step 1: a min-max scaler for labels", () => {
  it("maps the training labels' range onto [0, 1] with one min and one max for the whole tensor", () => {
    const train = tf.tensor2d([[0.002, 0.004], [0.01, 0.006]]);
    const scaler = new MinMaxScaler().fit(train);
    assertEquals([scaler.min, scaler.max], [0.002, 0.01].map(Math.fround), "fitted [min, max]");
    const scaled = scaler.transform(train);
    assertTensorClose(
      scaled,
      tf.tensor2d([[0, 0.25], [1, 0.5]]),
      { atol: 1e-6 },
      "transform(training labels)",
    );
    assertTensorClose(
      train,
      tf.tensor2d([[0.002, 0.004], [0.01, 0.006]]),
      { atol: 0 },
      "fit/transform changed their input",
    );
    tf.dispose([train, scaled]);
  });

  it("fits on the training labels only: transform never refits, so test labels may leave [0, 1]", () => {
    const train = tf.tensor1d([0, 0.005, 0.01]);
    const test = tf.tensor1d([0.02, -0.005]);
    const scaler = new MinMaxScaler().fit(train);
    const scaled = scaler.transform(test);
    assertTensorClose(
      scaled,
      tf.tensor1d([2, -0.5]),
      { atol: 1e-6 },
      "transform(test labels) with the training range",
    );
    assertEquals(
      [scaler.min, scaler.max],
      [0, Math.fround(0.01)],
      "transform must not change the fitted min/max",
    );
    tf.dispose([train, test, scaled]);
  });

  it("inverseTransform undoes transform on heat-map labels to float32 precision", () => {
    const { images, labels } = generateHeatmapData({ count: 20, seed: SEED });
    const scaler = new MinMaxScaler().fit(labels);
    const scaled = scaler.transform(labels);
    const back = scaler.inverseTransform(scaled);
    const [lo, hi] = [scaled.min().dataSync()[0], scaled.max().dataSync()[0]];
    assert(
      Math.abs(lo) < 1e-6 && Math.abs(hi - 1) < 1e-6,
      `scaled training labels span [${lo}, ${hi}], expected [0, 1]`,
    );
    // Labels are ≤ ~1e-2; float32 keeps ~7 digits, so the round trip is exact to ~1e-9.
    assertTensorClose(back, labels, { atol: 1e-8 }, "inverseTransform(transform(labels))");
    tf.dispose([images, labels, scaled, back]);
  });

  it("handles a constant target without NaN or division by zero", () => {
    const constant = tf.fill([3, 4, 4, 1], 0.003);
    const scaler = new MinMaxScaler().fit(constant);
    const scaled = scaler.transform(constant);
    const values = Array.from(scaled.dataSync());
    assert(values.every(Number.isFinite), `transform of a constant target gave ${values.slice(0, 4)}…`);
    const back = scaler.inverseTransform(scaled);
    assertTensorClose(back, constant, { atol: 1e-9 }, "inverseTransform(transform(constant))");
    tf.dispose([constant, scaled, back]);
  });

  it("says to call fit when used before fitting", () => {
    const y = tf.tensor1d([1, 2]);
    const scaler = new MinMaxScaler();
    for (
      const [name, use] of [["transform", () => scaler.transform(y)], [
        "inverseTransform",
        () => scaler.inverseTransform(y),
      ]] as const
    ) {
      const error = assertThrows(use, Error, undefined, `${name} before fit must throw`);
      assert(
        /fit/i.test(error.message),
        `${name} before fit threw "${error.message}"; the message should say to call fit`,
      );
    }
    y.dispose();
  });

  it("rejects labels shaped unlike the training labels, and empty training labels, naming the shape", () => {
    const train = tf.zeros([4, 16, 16, 1]);
    const wrong = tf.zeros([2, 8, 8, 1]);
    const empty = tf.zeros([0, 16, 16, 1]);
    const scaler = new MinMaxScaler().fit(train);
    for (
      const [name, use] of [
        ["transform", () => scaler.transform(wrong)],
        ["inverseTransform", () => scaler.inverseTransform(wrong)],
        ["fit on an empty tensor", () => new MinMaxScaler().fit(empty)],
      ] as const
    ) {
      const error = assertThrows(use, Error, undefined, `${name} must throw`);
      assert(
        /shape|empty/i.test(error.message),
        `${name} threw "${error.message}"; the message should name the shape`,
      );
    }
    tf.dispose([train, wrong, empty]);
  });
});
