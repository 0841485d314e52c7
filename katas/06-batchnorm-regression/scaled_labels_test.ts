import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertGreater, assertLess } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { measured, measuring } from "@lib/testing/measure.ts";
import { OnnxModel } from "@lib/onnx/runtime.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { exportRegressor, predictWithOnnx } from "./deploy.ts";
import type { HeatmapRegressor, LabelScaler } from "./contract.ts";
import { rSquared } from "./heatmap_regressor.ts";
import { data, predictWithBatchStatistics, trained } from "./test_setup.ts";

// Steps 4–6: the batch-norm network trained on min-max-scaled labels, its inference mode and its
// deployment through ONNX. Runs beside heatmap_regressor_test.ts (steps 2 and 3, raw labels).
await initBackend();

/** The batch-norm network trained on min-max labels at the budget's learning rate. */
const MINMAX = { batchNorm: "both", labels: "minmax" } as const;

/**
 * The min-max regressor with its scaler's range moved off 0 (the training labels + 3e-3: the heat-maps'
 * minimum is exactly 0, so an inverse transform that forgets `+ min` would still pass on them), and the
 * oracle: the network's output × (max − min) + min, computed here. The scaler is written here too, so
 * deployment is checked against the formula, not against the learner's step 1.
 */
async function offsetRegressor(): Promise<
  { regressor: HeatmapRegressor; expected(images: tf.Tensor4D): tf.Tensor }
> {
  const { regressor } = await trained(MINMAX);
  const [low, high] = tf.tidy(
    () => [data().train.labels.min().dataSync()[0], data().train.labels.max().dataSync()[0]],
  );
  const [min, max] = [low + 3e-3, high + 3e-3];
  const scaler: LabelScaler = {
    min,
    max,
    transform: (labels) => tf.tidy(() => labels.sub(min).div(max - min)),
    inverseTransform: (scaled) => tf.tidy(() => scaled.mul(max - min).add(min)),
  };
  const expected = (images: tf.Tensor4D) =>
    tf.tidy(() => (regressor.model.predict(images) as tf.Tensor).mul(max - min).add(min));
  return {
    regressor: { model: regressor.model, scaler, predict: (x) => expected(x) as tf.Tensor4D },
    expected,
  };
}

describe("kata 06, step 4: the fix: min-max labels", () => {
  it("keeps the scaler it fitted on the training labels", async () => {
    const { regressor } = await trained(MINMAX);
    const { train } = data();
    const [min, max] = [train.labels.min().dataSync()[0], train.labels.max().dataSync()[0]];
    assert(regressor.scaler !== null, "a regressor trained on min-max labels must return its scaler");
    assertEquals(
      [regressor.scaler.min, regressor.scaler.max],
      [min, max],
      "scaler [min, max] vs training labels",
    );
  });

  it("predicts in label units: the scaler's inverse transform of the network's inference-mode output", async () => {
    const { regressor } = await trained(MINMAX);
    const { test } = data();
    const predicted = regressor.predict(test.images);
    const output = regressor.model.predict(test.images) as tf.Tensor;
    const [min, max] = [regressor.scaler!.min, regressor.scaler!.max];
    const expected = tf.tidy(() => output.mul(max - min).add(min));
    assertTensorClose(predicted, expected, { atol: 1e-9 }, "predict vs model.predict · (max − min) + min");
    tf.dispose([predicted, output, expected]);
  });

  it("explains most of the variance of held-out heat-maps in the original units", async () => {
    const { r2 } = await trained(MINMAX);
    // Calibration only: the same network without batch norm, for the README's comparison.
    if (measuring()) await trained({ batchNorm: "none", labels: "minmax" });
    // observed 0.627–0.923 over seeds 1–20 (wasm); asserted > 0.4, 0.23 below the lowest (a quarter of the
    // spread is 0.07)
    assertGreater(
      r2,
      0.4,
      `held-out R² with min-max labels, inverse-transformed: expected > 0.4, got ${r2}. predict runs batch ` +
        `norm in inference mode: if step 5 (the batch-norm momentum) is not done, its stale moving statistics ` +
        `lower this R² too`,
    );
  });

  it("spreads its predictions about as widely as the labels", async () => {
    const { spread } = await trained(MINMAX);
    // observed 0.775–1.21 over seeds 1–20 (wasm); asserted in [0.6, 1.4], 0.18 below the lowest and 0.19
    // above the highest (a quarter of the spread is 0.11)
    assert(
      spread > 0.6 && spread < 1.4,
      `prediction std / label std with min-max labels: expected ~1, got ${spread} (a spread far below 1 in ` +
        `inference mode is also what stale batch-norm statistics look like: see step 5)`,
    );
  });
});

describe("kata 06, step 5: inference mode", () => {
  it("predicting one image at a time gives the same heat-maps as predicting the batch", async () => {
    const { regressor } = await trained(MINMAX);
    const { test } = data();
    const images = test.images.slice([0], [4]);
    const batch = regressor.predict(images);
    const single = tf.concat([0, 1, 2, 3].map((i) => regressor.predict(images.slice([i], [1]))));
    // Labels peak near 1e-2; 1e-7 is a thousandth of a typical label.
    assertTensorClose(single, batch, { atol: 1e-7 }, "predict(one image) vs predict(batch of 4)");
    tf.dispose([images, batch, single]);
  });

  it("the moving statistics are as good as the batch's own statistics on held-out data", async () => {
    const { regressor, r2 } = await trained(MINMAX);
    const { test } = data();
    const batchStats = predictWithBatchStatistics(regressor, test.images);
    const gap = measured(
      "R² batch statistics − R² moving statistics",
      rSquared(test.labels, batchStats) - r2,
    );
    batchStats.dispose();
    // observed −0.0259 to 0.0357 over seeds 1–20 (wasm) with momentum 0.9, and 0.46–2.19 with tfjs's
    // default 0.99 (seeds 1–10, everything else equal, measured outside the tests); asserted < 0.15, 0.11
    // above the highest (a quarter of the spread is 0.016)
    assertLess(
      gap,
      0.15,
      `held-out R² with the whole test batch's statistics minus R² in inference mode: expected < 0.15, got ${gap}`,
    );
  });
});

describe("kata 06, step 6: deployment through ONNX", () => {
  it("onnxruntime-web runs the exported conv + batch-norm network like tfjs, within 1e-5", async () => {
    const { regressor } = await trained(MINMAX);
    const { test } = data();
    const bytes = exportRegressor(regressor, { labelUnits: false });
    const fromOnnx = await OnnxModel.predictOnce(bytes, test.images);
    const fromTfjs = regressor.model.predict(test.images) as tf.Tensor;
    assertTensorClose(
      fromOnnx,
      fromTfjs,
      { atol: 1e-5 },
      "onnxruntime-web vs tfjs model.predict (training units)",
    );
    tf.dispose([fromOnnx, fromTfjs]);
  });

  it("the inverse label transform applied outside the graph gives tfjs's heat-maps in label units", async () => {
    const { regressor, expected: oracle } = await offsetRegressor();
    const { test } = data();
    const bytes = exportRegressor(regressor, { labelUnits: false });
    const deployed = await predictWithOnnx(bytes, regressor.scaler, test.images);
    const expected = oracle(test.images);
    // 1e-5 in training units is 1e-5 × (max − min) ≈ 1e-7 in label units.
    assertTensorClose(
      deployed,
      expected,
      { atol: 1e-7 },
      "predictWithOnnx vs the network × (max − min) + min, with min = 3e-3 (label units)",
    );
    tf.dispose([deployed, expected]);
  });

  it("baking the inverse label transform into the graph gives label units with no scaler at deployment", async () => {
    const { regressor, expected: oracle } = await offsetRegressor();
    const { test } = data();
    const deployed = await OnnxModel.predictOnce(
      exportRegressor(regressor, { labelUnits: true }),
      test.images,
    );
    const expected = oracle(test.images);
    assertTensorClose(
      deployed,
      expected,
      { atol: 1e-7 },
      "labelUnits export vs the network × (max − min) + min, with min = 3e-3 (label units)",
    );
    tf.dispose([deployed, expected]);
  });
});
