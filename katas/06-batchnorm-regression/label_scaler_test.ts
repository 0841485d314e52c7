import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { assertProperty } from "@lib/testing/property.ts";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { generateHeatmapData } from "@lib/data/heatmaps.ts";
import { kataSeed } from "@lib/core/random.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { MinMaxScaler } from "./label_scaler.ts";

// Step 1: the min-max scaler, against an oracle computed here in float64 and on the laws it must obey.
await initBackend();
const SEED = kataSeed();

/** Float32 values `(offset + u) · scale`, u uniform in [0, 1]. */
function labelValues(count: number, scale: number, offset: number): fc.Arbitrary<Float32Array> {
  return fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: count, maxLength: count })
    .map((u) => Float32Array.from(u, (x) => (offset + x) * scale));
}

/**
 * Training labels of shape `[count, ...sample]` (rank 1 to 4) on a scale from 1e-3 to 100, whose range is
 * at least a twentieth of the scale (float32 keeps the scaled values to ~1e-6 then), and other labels with
 * the same sample shape drawn the same way.
 */
const labelBatches = fc
  .record({
    count: fc.integer({ min: 2, max: 5 }),
    otherCount: fc.integer({ min: 1, max: 3 }),
    sample: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
    scale: fc.constantFrom(1e-3, 1e-2, 1, 100),
    offset: fc.double({ min: -1, max: 1, noNaN: true }),
  })
  .chain(({ count, otherCount, sample, scale, offset }) => {
    const size = sample.reduce((a, b) => a * b, 1);
    return fc.record({
      shape: fc.constant<number[]>([count, ...sample]),
      otherShape: fc.constant<number[]>([otherCount, ...sample]),
      scale: fc.constant(scale),
      values: labelValues(count * size, scale, offset),
      other: labelValues(otherCount * size, scale, offset),
    });
  })
  .filter(({ values, scale }) => Math.max(...values) - Math.min(...values) > scale / 20);

/** The oracle: (y − min) / (max − min) in float64, with the min and max of `fitted`. */
function minMaxOracle(values: Float32Array, fitted: Float32Array): Float64Array {
  const [min, max] = [Math.min(...fitted), Math.max(...fitted)];
  return Float64Array.from(values, (v) => (v - min) / (max - min));
}

describe("kata 06, step 1: a min-max scaler for labels", () => {
  it("maps the training labels' range onto [0, 1] with one min and one max for the whole tensor", () => {
    const train = tf.tensor2d([[0.002, 0.004], [0.01, 0.006]]);
    const scaler = new MinMaxScaler().fit(train);
    // Per column, the min and max would be [0.002, 0.004] and [0.01, 0.006]: transform would differ.
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

  it("agrees with (y − min) / (max − min) computed in float64, for any shape and label scale", () => {
    assertProperty(
      fc.property(labelBatches, ({ shape, otherShape, values, other }) => {
        const train = tf.tensor(values, shape);
        const test = tf.tensor(other, otherShape);
        const scaler = new MinMaxScaler().fit(train);
        const [min, max] = [Math.min(...values), Math.max(...values)];
        // + 0 turns −0 into 0: either is the minimum of labels holding −0.
        assertEquals(
          [scaler.min + 0, scaler.max + 0],
          [min + 0, max + 0],
          `fitted [min, max] of labels of shape [${shape}]`,
        );
        const scaled = scaler.transform(train);
        const scaledOther = scaler.transform(test);
        const back = scaler.inverseTransform(scaled);
        // Values within a few ranges of 0 and a range ≥ scale / 20: float32 errors stay below ~1e-5.
        assertTensorClose(
          scaled,
          { values: minMaxOracle(values, values), shape },
          { atol: 2e-5 },
          "transform",
        );
        assertTensorClose(
          scaledOther,
          { values: minMaxOracle(other, values), shape: otherShape },
          { atol: 2e-5 },
          "transform of other labels, with the training range (no refit)",
        );
        assertTensorClose(
          back,
          train,
          { atol: 2e-6 * (Math.abs(min) + Math.abs(max)) },
          "inverseTransform(transform(labels))",
        );
        tf.dispose([train, test, scaled, scaledOther, back]);
      }),
      { numRuns: 50, seed: SEED },
    );
  });

  it("does not care about the labels' units: fitted on a·y + b, it scales a·y + b as it scaled y", () => {
    assertProperty(
      fc.property(
        labelBatches,
        fc.constantFrom(1e-3, 0.5, 7, 1e3),
        fc.double({ min: -10, max: 10, noNaN: true }),
        ({ shape, values }, a, shift) => {
          const y = tf.tensor(values, shape);
          // b is a multiple of the moved range, so float32 still resolves the moved labels.
          const b = shift * a * (Math.max(...values) - Math.min(...values));
          const moved = tf.tidy(() => y.mul(a).add(b));
          const scaledY = new MinMaxScaler().fit(y).transform(y);
          const scaledMoved = new MinMaxScaler().fit(moved).transform(moved);
          assertTensorClose(scaledMoved, scaledY, { atol: 5e-5 }, `scaled(${a}·y + ${b}) vs scaled(y)`);
          tf.dispose([y, moved, scaledY, scaledMoved]);
        },
      ),
      { numRuns: 40, seed: SEED },
    );
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

  it("holds no tensors, returns one new tensor per call and leaves its input alive", () => {
    const labels = tf.tensor2d([[0.001, 0.003], [0.002, 0.009]]);
    const before = tf.memory().numTensors;
    const scaler = new MinMaxScaler().fit(labels);
    assertEquals(tf.memory().numTensors, before, "tensors left behind by fit (keep min and max as numbers)");
    const scaled = scaler.transform(labels);
    const back = scaler.inverseTransform(scaled);
    assertEquals(tf.memory().numTensors, before + 2, "tensors after transform and inverseTransform");
    assert(
      !labels.isDisposed && !scaled.isDisposed,
      "transform and inverseTransform must not dispose their input",
    );
    assert(scaled !== labels && back !== scaled, "every returned tensor must be new");
    tf.dispose([labels, scaled, back]);
  });

  it("handles a constant target without NaN or division by zero", () => {
    const constant = tf.fill([3, 4, 4, 1], 0.003);
    const scaler = new MinMaxScaler().fit(constant);
    const scaled = scaler.transform(constant);
    const values = Array.from(scaled.dataSync());
    assert(values.every(Number.isFinite), `transform of a constant target gave ${values.slice(0, 4)}…`);
    const back = scaler.inverseTransform(scaled);
    assertTensorClose(back, constant, { atol: 1e-9 }, "inverseTransform(transform(constant))");
    // Other labels show the divisor: with max = min the range is taken as 1, so they are only shifted.
    const values4 = [0.004, 0.001, 0.5, -2];
    const other = tf.tensor4d(Array.from({ length: 16 }, (_, i) => values4[i % 4]), [1, 4, 4, 1]);
    const shifted = scaler.transform(other);
    assertTensorClose(
      shifted,
      tf.tensor4d(Array.from({ length: 16 }, (_, i) => values4[i % 4] - 0.003), [1, 4, 4, 1]),
      { atol: 1e-6 },
      "transform of other labels after fitting a constant target 0.003: (y − 0.003) / 1",
    );
    tf.dispose([constant, scaled, back, other, shifted]);
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
