import { assertAlmostEquals, assertEquals, assertGreater, assertLess, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { caseControlStudy } from "@lib/data/genomics.ts";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import { createRng, kataSeed } from "@lib/core/random.ts";
import {
  accuracy,
  buildNet,
  chooseStrength,
  denseParams,
  disagreement,
  HIDDEN_UNITS,
  predictLabels,
  predictOverSeeds,
  summarize,
  trainNet,
} from "./network.ts";
import { fitPca } from "./pca.ts";

await initBackend();
const SEED = kataSeed();
/** The split is fixed by KATA_SEED; so are the initialisation seeds of the runs compared. */
const { train, validation } = caseControlStudy(SEED);
const INIT_SEEDS = Array.from({ length: 8 }, ((rng) => () => rng.int(2 ** 31))(createRng(SEED + 1)));
const STRENGTHS = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

/** One array of validation predictions per initialisation seed. */
const plain = once(() => predictOverSeeds(train, validation, INIT_SEEDS));
const chosenL2 = once(() => chooseStrength(train, validation, "l2", STRENGTHS, INIT_SEEDS[0]));
const chosenL1 = once(() => chooseStrength(train, validation, "l1", STRENGTHS, INIT_SEEDS[0]));
const pcaOverSeeds = once(() => {
  const pca = fitPca(train, 20);
  return predictOverSeeds(pca.transform(train), pca.transform(validation), INIT_SEEDS);
});
const l2OverSeeds = once(async () =>
  predictOverSeeds(train, validation, INIT_SEEDS, { l2: (await chosenL2()).strength })
);
/** The validation accuracy of each run. */
const accuracies = (runs: number[][]) => runs.map((predicted) => accuracy(predicted, validation.y));

/**
 * The run from INIT_SEEDS[0] with `penalty`: its first-layer kernel before and after training,
 * and its validation predictions.
 */
function firstRun(penalty: { l1?: number; l2?: number }) {
  return once(async () => {
    const initial = await trainNet(train, { seed: INIT_SEEDS[0], ...penalty, epochs: 0 });
    const trained = await trainNet(train, { seed: INIT_SEEDS[0], ...penalty });
    const kernel = (model: typeof trained) => Float32Array.from(model.layers[0].getWeights()[0].dataSync());
    const run = {
      initial: kernel(initial),
      trained: kernel(trained),
      predicted: predictLabels(trained, validation),
    };
    initial.dispose();
    trained.dispose();
    return run;
  });
}
const plainRun = firstRun({});
const l2Run = once(async () => firstRun({ l2: (await chosenL2()).strength })());
const l1Run = once(async () => firstRun({ l1: (await chosenL1()).strength })());

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

const zeroFraction = (w: Float32Array) => w.filter((v) => v === 0).length / w.length;

describe("kata 02, step 1: parameters", () => {
  it("a 10,000-input dense layer of 12 units has 120,012 parameters, 1,700 per training sample", () => {
    assertEquals(denseParams(10_000, 12), 120_012, "denseParams(10000, 12): weights plus biases");
    assertEquals(denseParams(12, 1), 13, "denseParams(12, 1)");
    assertThrows(() => denseParams(0, 12), RangeError, "inputs");
    assertThrows(() => denseParams(10, 2.5), RangeError, "units");
    const model = buildNet(train.features);
    try {
      assertEquals(
        model.countParams(),
        denseParams(train.features, HIDDEN_UNITS) + denseParams(HIDDEN_UNITS, 1),
        "buildNet's countParams() should equal denseParams of its two layers",
      );
      assertEquals(model.outputs[0].shape, [null, 1], "one sigmoid output: the probability of class 1");
    } finally {
      model.dispose();
    }
    assertGreater(denseParams(train.features, HIDDEN_UNITS) / train.samples, 1_700);
  });
});

describe("kata 02, step 2: the spread", () => {
  it("summarize, accuracy and disagreement do the arithmetic of a spread", () => {
    const spread = summarize([0.6, 0.7, 0.9]);
    assertAlmostEquals(spread.mean, 2.2 / 3, 1e-12, "mean");
    assertAlmostEquals(spread.std, Math.sqrt(0.14 / 6), 1e-12, "sample standard deviation (divide by n − 1)");
    assertEquals([spread.min, spread.max], [0.6, 0.9]);
    assertAlmostEquals(spread.range, 0.3, 1e-12, "range");
    assertThrows(() => summarize([0.5]), RangeError, "at least 2");
    assertAlmostEquals(accuracy([1, 0, 1], Int32Array.of(1, 1, 1)), 2 / 3, 1e-12, "accuracy");
    assertThrows(() => accuracy([1, 0], Int32Array.of(1, 1, 1)), RangeError, "2 predictions for 3 labels");
    const runs = [[0, 0, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1]];
    assertAlmostEquals(disagreement(runs), (1 / 4 + 0 + 1 / 4) / 3, 1e-12, "mean over the 3 pairs");
    assertEquals(disagreement([[1, 0], [1, 0]]), 0, "identical runs never disagree");
    assertThrows(() => disagreement([[1, 0]]), RangeError, "at least 2");
  });

  it("same split, eight initialisations: accuracy swings, and two runs disagree on nearly half the samples", async () => {
    const runs = await plain();
    const spread = summarize(accuracies(runs));
    const apart = measured("plain disagreement", disagreement(runs));
    measured("plain mean", spread.mean);
    const shown = `accuracies ${accuracies(runs).map((a) => a.toFixed(2)).join(", ")}`;
    // observed range 0.13–0.43, std 0.050–0.139 over seeds 1–30 (wasm); asserted range > 0.1, std > 0.04
    assertGreater(measured("plain range", spread.range), 0.1, `expected a wide spread; ${shown}`);
    assertGreater(measured("plain std", spread.std), 0.04, `expected a wide spread; ${shown}`);
    // observed 0.36–0.51; asserted > 0.3 (0.5 is what two coin flips give)
    assertGreater(apart, 0.3, "share of validation samples on which two plain runs disagree");
    assertEquals((await plainRun()).predicted, runs[0], "the same seed must give the same network");
  });
});

describe("kata 02, step 3: regularisation", () => {
  it("L2 chosen on validation over 1e-4…10 makes the runs agree and raises the mean", async () => {
    const { strength, scores } = await chosenL2();
    const runs = await l2OverSeeds();
    const before = summarize(accuracies(await plain()));
    const after = summarize(accuracies(runs));
    const ratio = measured("L2/plain disagreement ratio", disagreement(runs) / disagreement(await plain()));
    const gain = measured("L2 mean gain", after.mean - before.mean);
    measured("L2/plain std ratio", after.std / before.std);
    measured("L2 std", after.std);
    measured("L2 chosen strength", strength);
    assertEquals(scores.length, STRENGTHS.length, "one validation score per strength");
    assertEquals(
      strength,
      STRENGTHS[scores.indexOf(Math.max(...scores))],
      `the best-scoring strength: ${scores}`,
    );
    assertEquals(
      accuracy(runs[0], validation.y),
      scores[STRENGTHS.indexOf(strength)],
      "chooseStrength and predictOverSeeds trained the same network from the same seed",
    );
    const shown = `plain ${before.mean.toFixed(2)} ± ${before.std.toFixed(3)}, L2 ${strength}: ` +
      `${after.mean.toFixed(2)} ± ${after.std.toFixed(3)}`;
    // observed disagreement ratio 0.017–0.254 over seeds 1–30 (wasm); asserted < 0.4
    assertLess(ratio, 0.4, `L2 runs should disagree far less than plain runs; ${shown}`);
    // observed mean gain 0.11–0.37 over seeds 1–30; asserted > 0.05
    assertGreater(gain, 0.05, `expected a higher mean; ${shown}`);
  });

  it("weight decay erases the initialisation the unregularised network keeps", async () => {
    const kept = correlation((await plainRun()).initial, (await plainRun()).trained);
    const erased = correlation((await l2Run()).initial, (await l2Run()).trained);
    // observed 0.997 (plain) and |r| ≤ 0.012 (L2) over seeds 1–30 (wasm); asserted > 0.9 and < 0.1
    assertGreater(measured("plain init correlation", kept), 0.9, "plain first layer vs its initial values");
    assertLess(measured("L2 init correlation", erased), 0.1, "L2 first layer vs its initial values");
  });

  it("L1 sets most first-layer weights to exactly zero; L2 shrinks them but zeroes none", async () => {
    const l1 = zeroFraction((await l1Run()).trained);
    const l2 = zeroFraction((await l2Run()).trained);
    const { strength, scores } = await chosenL1();
    measured("L1 chosen strength", strength);
    measured("L1 chosen validation accuracy", Math.max(...scores));
    // observed 0.995–0.998 (L1) and 0 (L2) over seeds 1–30 (wasm); asserted > 0.9 and < 0.01
    assertGreater(
      measured("L1 zero fraction", l1),
      0.7,
      `L1 (strength ${strength}): share of weights exactly 0`,
    );
    assertLess(measured("L2 zero fraction", l2), 0.01, "L2: share of weights exactly 0");
  });
});

describe("kata 02, step 4: PCA", () => {
  it("a network on the top 20 PCA components (fitted on training rows) is less accurate than with L2", async () => {
    const reduced = summarize(accuracies(await pcaOverSeeds()));
    const before = summarize(accuracies(await plain()));
    const l2 = summarize(accuracies(await l2OverSeeds()));
    measured("PCA-20 disagreement", disagreement(await pcaOverSeeds()));
    measured("PCA-20 mean", reduced.mean);
    measured("PCA-20 std", reduced.std);
    measured("PCA-20/plain std ratio", reduced.std / before.std);
    measured("PCA-20/L2 std ratio", reduced.std / l2.std);
    measured("PCA-20 - plain mean", reduced.mean - before.mean);
    const gap = measured("L2 - PCA-20 mean", l2.mean - reduced.mean);
    const shown = `PCA-20 ${reduced.mean.toFixed(2)} ± ${reduced.std.toFixed(3)}, L2 ${
      l2.mean.toFixed(2)
    } ± ${l2.std.toFixed(3)}`;
    // observed mean gap 0.046–0.275 over seeds 1–30 (wasm); asserted > 0.02
    assertGreater(gap, 0.02, `PCA-20 vs L2 mean; ${shown}`);
  });
});
