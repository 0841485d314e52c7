import {
  assert,
  assertEquals,
  assertGreater,
  assertLess,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import type { Dataset } from "@lib/data/genomics.ts";
import { createRng, kataSeed } from "@lib/core/random.ts";
import {
  crossValidate,
  hoeffdingEpsilon,
  hoeffdingSamples,
  kFoldIndices,
  sealTestSet,
  selectByCrossValidation,
} from "./protocol.ts";

await initBackend();
const SEED = kataSeed();

/** 103 one-feature rows whose feature is their own index, so a test can see which rows a split holds. */
function indexed(samples = 103): Dataset {
  const rng = createRng(SEED);
  return {
    x: Float32Array.from({ length: samples }, (_, i) => i),
    y: Int32Array.from({ length: samples }, () => (rng.uniform() < 0.3 ? 1 : 0)),
    samples,
    features: 1,
  };
}

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe("kata 02, step 6: protocol", () => {
  it("k-fold indices are disjoint, cover every sample once, and have sizes within one of each other", () => {
    const folds = kFoldIndices(103, 5, { seed: SEED });
    assertEquals(folds.length, 5, "one array of validation indices per fold");
    assertEquals(sorted(folds.flat()), Array.from({ length: 103 }, (_, i) => i), "every index exactly once");
    const sizes = folds.map((f) => f.length);
    assertLess(Math.max(...sizes) - Math.min(...sizes), 2, `fold sizes ${sizes}`);
    assertEquals(kFoldIndices(103, 5, { seed: SEED }), folds, "the same seed gives the same folds");
    assertNotEquals(kFoldIndices(103, 5, { seed: SEED + 1 }), folds, "another seed shuffles differently");
    assertNotEquals(folds[0], Array.from({ length: folds[0].length }, (_, i) => i), "folds are shuffled");
    assertThrows(() => kFoldIndices(10, 1, { seed: SEED }), RangeError, "k");
    assertThrows(() => kFoldIndices(10, 11, { seed: SEED }), RangeError, "k");
  });

  it("stratified folds keep each class's share: per-fold class counts differ by at most one", () => {
    const { y } = indexed();
    const folds = kFoldIndices(103, 5, { seed: SEED, labels: y });
    assertEquals(sorted(folds.flat()), Array.from({ length: 103 }, (_, i) => i), "every index exactly once");
    for (const label of [0, 1]) {
      const counts = folds.map((f) => f.filter((i) => y[i] === label).length);
      assertLess(Math.max(...counts) - Math.min(...counts), 2, `class ${label} per fold: ${counts}`);
    }
    assertThrows(() => kFoldIndices(103, 5, { seed: SEED, labels: y.slice(1) }), RangeError, "label");
  });

  it("cross-validation trains on the other folds and scores on the held-out fold, once per fold", async () => {
    const data = indexed();
    const seen: number[][] = [];
    const scores = await crossValidate(data, 4, SEED, (train, val, fold) => {
      const trainRows = new Set(train.x);
      assert(
        Array.from(val.x).every((i) => !trainRows.has(i)),
        `fold ${fold}: validation rows leaked into training`,
      );
      assertEquals(train.samples + val.samples, data.samples, `fold ${fold}: every row is used once`);
      Array.from(val.x).forEach((i, r) =>
        assertEquals(val.y[r], data.y[i], `fold ${fold}: row ${i}'s label`)
      );
      seen.push(Array.from(val.x));
      return fold / 10;
    });
    assertEquals(scores, [0, 0.1, 0.2, 0.3], "one score per fold, in fold order");
    assertEquals(sorted(seen.flat()), Array.from({ length: 103 }, (_, i) => i), "each row validated once");
  });

  it("model selection by cross-validation picks the candidate with the best mean fold score", async () => {
    const data = indexed();
    // A fake model: candidate c scores better the closer c is to 7 (and folds add noise of ±0.01).
    const result = await selectByCrossValidation(data, [1, 4, 7, 9], 5, SEED, (c, _train, val) => {
      return 1 - Math.abs(c - 7) / 10 + (val.x[0] % 2 ? 0.01 : -0.01);
    });
    assertEquals(result.best, 7);
    assertEquals(result.means.length, 4, "one mean per candidate");
    assertEquals(result.scores.map((s) => s.length), [5, 5, 5, 5], "five fold scores per candidate");
    assertEquals(
      result.means[0],
      result.scores[0].reduce((a, b) => a + b) / 5,
      "means average the fold scores",
    );
    assertGreater(result.means[2], result.means[1]);
  });

  it("Hoeffding: how many test samples pin accuracy within ±ε with probability 1 − δ", () => {
    assertEquals(hoeffdingSamples(0.05, 0.05), 738, "ceil(ln(2/0.05) / (2 · 0.05²))");
    assertEquals(hoeffdingSamples(0.1, 0.05), 185);
    assertEquals(hoeffdingSamples(0.01, 0.01), 26_492);
    // The seed question's validation split has 30 samples: its accuracy is only known to about ±25 points.
    const epsilon = hoeffdingEpsilon(30, 0.05);
    assertLess(
      Math.abs(epsilon - Math.sqrt(Math.log(40) / 60)),
      1e-12,
      `hoeffdingEpsilon(30, 0.05) = ${epsilon}`,
    );
    assertGreater(epsilon, 0.2);
    assertThrows(() => hoeffdingSamples(0, 0.05), RangeError, "epsilon");
    assertThrows(() => hoeffdingSamples(0.05, 1), RangeError, "delta");
  });

  it("a sealed test set scores one model once, hides its labels, and refuses a second look", async () => {
    const test = indexed(40);
    const sealed = sealTestSet(test);
    assertEquals(sealed.samples, 40);
    let shown: unknown;
    const accuracy = await sealed.evaluate((features) => {
      shown = features;
      return Array.from(features.x, (i) => test.y[i]); // a perfect "model" for this data
    });
    assertEquals(accuracy, 1);
    assert(shown && !("y" in (shown as object)), "predict must receive the features only, not the labels");
    const error = await assertRejects(() => sealed.evaluate(() => new Array(40).fill(0)), Error);
    assert(
      /once/i.test((error as Error).message),
      `the error should say the test set is used once: ${error}`,
    );
    assert(
      /validation|cross-validation/i.test((error as Error).message),
      `and what to use instead: ${error}`,
    );
  });

  it("a failed evaluation (wrong number of predictions) does not use up the test set", async () => {
    const test = indexed(10);
    const sealed = sealTestSet(test);
    await assertRejects(() => sealed.evaluate(() => [0, 1]), RangeError, "2");
    assertEquals(await sealed.evaluate((f) => Array.from(f.x, (i) => test.y[i])), 1);
  });
});
