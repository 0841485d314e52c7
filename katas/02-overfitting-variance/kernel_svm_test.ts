import { assert, assertEquals, assertGreater, assertLess } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import type { Features } from "@lib/data/genomics.ts";
import { loadLibsvm, trainSvm } from "@lib/models/svm.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import type { SvmSettings } from "./contract.ts";
import { svmAccuracy, svmPredict } from "./kernel_svm.ts";
import { predictLabels, trainNet } from "./network.ts";
import { crossValidate, hoeffdingEpsilon, sealTestSet, selectByCrossValidation } from "./protocol.ts";
import { development, meanStd, SEED, shareEqual, smallData, study } from "./test_setup.ts";

// Step 5 (the SVM's mechanics, and the SVM against the plain network across folds; across initialisations
// it is compared in network_test.ts, where the eight plain runs are) and the end of step 6 (choose by
// cross-validation, then open the sealed test set once).
await initBackend();
const { train, validation, test } = study();
const FOLDS = 5;
const COSTS = [1, 10];
/** LIBSVM's default width, 1 / features: squared distances here are about 2 · features. */
const settings = (cost: number): SvmSettings => ({ gamma: 1 / train.features, cost });

const svmSelection = once(() =>
  selectByCrossValidation(
    development(),
    COSTS,
    FOLDS,
    SEED,
    (cost, tr, va) => svmAccuracy(tr, va, settings(cost)),
  )
);
/** The plain network's held-out accuracy on each fold, from initialisation `SEED · 10 + fold`. */
const netFolds = once(() =>
  crossValidate(development(), FOLDS, SEED, async (tr, va, fold) => {
    const model = await trainNet(tr, { seed: SEED * 10 + fold });
    const predicted = predictLabels(model, va);
    model.dispose();
    return shareEqual(predicted, va.y);
  })
);

const rows = (data: Features) =>
  Array.from({ length: data.samples }, (_, i) => data.x.subarray(i * data.features, (i + 1) * data.features));

describe("kata 02, step 5: kernel SVM", () => {
  it("svmPredict trains LIBSVM's RBF C-SVC on the rows and labels given, with the settings given", async () => {
    const data = smallData(SEED, 40, 12);
    const check = smallData(SEED + 1, 30, 12);
    for (const svm of [{ gamma: 0.05, cost: 0.5 }, { gamma: 0.5, cost: 100 }, { gamma: 3, cost: 1 }]) {
      const model = await trainSvm(rows(data), Array.from(data.y), { kernel: "rbf", ...svm });
      const expected = model.predict(rows(check));
      model.free();
      assertEquals(await svmPredict(data, check, svm), expected, `svmPredict with ${JSON.stringify(svm)}`);
      assertEquals(
        await svmAccuracy(data, check, svm),
        shareEqual(expected, check.y),
        `svmAccuracy with ${JSON.stringify(svm)}: the share of its predictions equal to the labels`,
      );
    }
    await svmPredict(data, smallData(SEED, 5, 11), { gamma: 1, cost: 1 }).then(
      () =>
        assertEquals("returned", "threw", "svmPredict should reject rows with another number of features"),
      (error) =>
        assertClearError(() => {
          throw error;
        }, "features"),
    );
  });

  it("svmPredict frees the LIBSVM model it trains, also when predicting fails", async () => {
    // Tracks the LIBSVM models trained and not yet freed (their memory is in the WebAssembly heap, not
    // tfjs's). LIBSVM's own train frees the instance's previous model first, before it is tracked.
    const SVM = (await loadLibsvm()).prototype;
    const { train: trainOne, free } = SVM;
    const trained = new Set<object>();
    SVM.train = function (...args: Parameters<typeof trainOne>) {
      const result = trainOne.apply(this, args);
      trained.add(this);
      return result;
    };
    SVM.free = function () {
      trained.delete(this);
      return free.call(this);
    };
    try {
      const data = smallData(SEED, 40, 12);
      await svmPredict(data, smallData(SEED + 1, 5, 12), { gamma: 0.5, cost: 1 });
      assertEquals(trained.size, 0, "models left unfreed after svmPredict returned");
      // Rows announced as 12 features but one value short: LIBSVM's predict throws on the last row.
      const short = { ...smallData(SEED + 1, 5, 12), x: new Float32Array(5 * 12 - 1) };
      let thrown: unknown;
      await svmPredict(data, short, { gamma: 0.5, cost: 1 }).catch((e) => (thrown = e));
      assert(thrown instanceof Error, "predicting a row of 11 values for a 12-feature model should throw");
      assertEquals(trained.size, 0, "models left unfreed after predicting threw (free it in a finally)");
    } finally {
      Object.assign(SVM, { train: trainOne, free });
    }
  });

  it("an RBF kernel far narrower than the distances between samples predicts one class for everything", async () => {
    const predicted = await svmPredict(train, validation, { gamma: 1e4 / train.features, cost: 1 });
    assertEquals(predicted.length, validation.samples, "one prediction per validation sample");
    assertEquals(
      new Set(predicted).size,
      1,
      `every kernel value underflows to 0, leaving only the bias: ${predicted}`,
    );
  });

  it("across folds the SVM usually beats the plain network, and is not reliably less variable", async () => {
    const { best, scores } = await svmSelection();
    const svm = meanStd(scores[COSTS.indexOf(best)]);
    const net = meanStd(await netFolds());
    const gain = measured("SVM - network CV mean", svm.mean - net.mean);
    const ratio = measured("SVM/network CV std ratio", svm.std / net.std);
    measured("network CV mean", net.mean);
    measured("SVM chosen cost", best);
    const shown = `SVM (C = ${best}) ${svm.mean.toFixed(2)} ± ${svm.std.toFixed(3)}, ` +
      `network ${net.mean.toFixed(2)} ± ${net.std.toFixed(3)} over ${FOLDS} folds`;
    // observed 0.62–0.96 over seeds 1–20 (wasm); asserted > 0.53 (a one-class predictor scores 0.5 on
    // stratified folds)
    assertGreater(measured("SVM CV mean", svm.mean), 0.53, `SVM above chance; ${shown}`);
    // observed −0.09–0.33 over seeds 1–20 (SVM ahead in 19 of 20); asserted > −0.2
    assertGreater(gain, -0.2, `SVM not far behind the network; ${shown}`);
    // observed 0.18–2.03 over seeds 1–20 (below 1 in 15 of 20); asserted < 2.5
    assertLess(ratio, 2.5, `SVM fold spread ÷ network fold spread; ${shown}`);
  });
});

describe("kata 02, step 6: protocol", () => {
  it("chosen by cross-validation, scored once on the sealed test set: within Hoeffding's band of the CV estimate", async () => {
    const { best, means } = await svmSelection();
    const sealed = sealTestSet(test);
    const score = await sealed.evaluate((features) => svmPredict(development(), features, settings(best)));
    const estimate = Math.max(...means);
    const band = hoeffdingEpsilon(test.samples, 0.01);
    measured("SVM test accuracy", score);
    // observed |test − CV| 0.01–0.195 over seeds 1–20 (wasm); asserted within the 99 % band (±0.26)
    assertLess(
      measured("|test - CV estimate|", Math.abs(score - estimate)),
      band,
      `test ${score}, CV ${estimate}`,
    );
  });
});
