import * as tf from "@tensorflow/tfjs";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { seedEverything } from "@lib/core/random.ts";
import {
  checkBatchNormInUse,
  checkBudget,
  checkLearnsFromItsLabels,
  checkTarget,
  countGradientSteps,
  freshHeldOut,
  heldOutR2,
} from "@lib/data/heatmap_challenge.ts";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import { trainBatchNormRegressor } from "./challenge.ts";
import { data, SEED } from "./test_setup.ts";

// Step 7, the challenge: only the outcome is measured, on held-out images this file draws. The checks
// live in @lib/data/heatmap_challenge.ts, whose own tests show each one rejecting a shortcut.
await initBackend();

/**
 * The learner's challenge regressor, trained once on the seed's 400 training images, and the optimizer steps
 * that took, counted by this test (gradient computations), not read from the model.
 */
const counted = once(async () => {
  const { train } = data();
  seedEverything(SEED);
  return await countGradientSteps(() => trainBatchNormRegressor(train.images, train.labels));
});
const entry = async () => (await counted()).value;

describe("kata 06, step 7: challenge: batch norm stays", () => {
  it("reaches the target R² on the held-out images, in label units, in inference mode", async () => {
    const r2 = measured("challenge: held-out R²", heldOutR2(await entry(), data().test));
    // The reference (standardised labels, 100 steps) scored 0.895–0.951 over seeds 1–20 (wasm); the
    // target 0.8 is 0.095 below the lowest (a quarter of the spread is 0.014).
    checkTarget(r2, "the seed's 128 held-out images");
  });

  it("reaches it on fresh images drawn from a seed no code could know", async () => {
    const regressor = await entry();
    const fresh = freshHeldOut();
    try {
      // The reference scored 0.892–0.950 on such sets (20 draws, one per seed 1–20, outside the tests):
      // 0.092 above the target. A regressor that memorised or hard-coded the seed's held-out heat-maps
      // fails here.
      checkTarget(
        heldOutR2(regressor, fresh.data),
        `128 fresh images (generateHeatmapData seed ${fresh.seed})`,
      );
    } finally {
      tf.dispose([fresh.data.images, fresh.data.labels]);
    }
  });

  it("keeps its batch-norm layers and predicts with their moving statistics (inference mode)", async () => {
    checkBatchNormInUse(await entry(), data().test.images);
  });

  it("stays within the budget of optimizer steps and parameters", async () => {
    const { value: regressor, steps } = await counted();
    checkBudget(regressor, steps);
  });

  it("learns from the labels it is given: with them shuffled among the images, it learns nothing", async () => {
    const { train, test } = data();
    seedEverything(SEED);
    const r2 = await checkLearnsFromItsLabels(trainBatchNormRegressor, train, test, SEED);
    // The reference scored −0.0179 to 0.21 over seeds 1–20 (wasm); the check requires < 0.4.
    measured("challenge guard: held-out R² after training on shuffled labels", r2);
  });
});
