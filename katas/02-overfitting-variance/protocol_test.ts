import { assert, assertAlmostEquals, assertEquals, assertGreater, assertNotEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertRejectsClearly } from "@lib/testing/error_assert.ts";
import fc from "fast-check";
import { assertProperty } from "@lib/testing/property.ts";
import { initBackend } from "@lib/backend/init.ts";
import { createRng } from "@lib/core/random.ts";
import type { Dataset } from "@lib/data/genomics.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import {
  crossValidate,
  hoeffdingEpsilon,
  hoeffdingSamples,
  kFoldIndices,
  sealTestSet,
  selectByCrossValidation,
} from "./protocol.ts";
import { SEED } from "./test_setup.ts";

// Step 6 on data whose rows carry their own index as their only feature, so a test can see which rows a
// split holds. The end-to-end use (choose by cross-validation, open the test set once) is in
// kernel_svm_test.ts.
await initBackend();

/** `samples` one-feature rows whose feature is their own index; about 30 % of the labels are 1. */
function indexed(samples = 103, seed = SEED): Dataset {
  const rng = createRng(seed);
  return {
    x: Float32Array.from({ length: samples }, (_, i) => i),
    y: Int32Array.from({ length: samples }, () => (rng.uniform() < 0.3 ? 1 : 0)),
    samples,
    features: 1,
  };
}

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const spreadOf = (counts: number[]) => Math.max(...counts) - Math.min(...counts);

describe("kata 02, step 6: protocol", () => {
  it("k-fold indices partition 0…n−1 into sorted folds of sizes within one, the same for the same seed", () => {
    const args = fc.integer({ min: 2, max: 80 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.integer({ min: 2, max: n }), fc.integer({ min: 0, max: 2 ** 30 }))
    );
    assertProperty(
      fc.property(args, ([n, k, seed]) => {
        const folds = kFoldIndices(n, k, { seed });
        assertEquals(folds.length, k, `kFoldIndices(${n}, ${k}): one array per fold`);
        assertEquals(sorted(folds.flat()), range(n), `kFoldIndices(${n}, ${k}): every index exactly once`);
        assert(folds.every((f) => f.every((v, i) => i === 0 || f[i - 1] < v)), "each fold sorted");
        assert(spreadOf(folds.map((f) => f.length)) <= 1, `fold sizes ${folds.map((f) => f.length)}`);
        assertEquals(kFoldIndices(n, k, { seed }), folds, "the same seed gives the same folds");
      }),
      { seed: SEED, numRuns: 150 },
    );
    const folds = kFoldIndices(103, 5, { seed: SEED });
    assertNotEquals(kFoldIndices(103, 5, { seed: SEED + 1 }), folds, "another seed shuffles differently");
    assertNotEquals(folds[0], range(folds[0].length), "folds are shuffled");
    assertClearError(() => kFoldIndices(10, 1, { seed: SEED }), "k");
    assertClearError(() => kFoldIndices(10, 11, { seed: SEED }), "k");
    assertClearError(() => kFoldIndices(10, 2.5, { seed: SEED }), "k");
  });

  it("stratified folds spread every class: per-fold counts of each class differ by at most one", () => {
    const args = fc.integer({ min: 3, max: 80 }).chain((n) =>
      fc.tuple(
        fc.integer({ min: 2, max: Math.min(n, 10) }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
        fc.integer({ min: 0, max: 2 ** 30 }),
      )
    );
    assertProperty(
      fc.property(args, ([k, labels, seed]) => {
        const n = labels.length;
        const folds = kFoldIndices(n, k, { seed, labels });
        assertEquals(sorted(folds.flat()), range(n), "every index exactly once");
        assert(spreadOf(folds.map((f) => f.length)) <= 1, `fold sizes ${folds.map((f) => f.length)}`);
        for (const label of [0, 1, 2]) {
          const counts = folds.map((f) => f.filter((i) => labels[i] === label).length);
          assert(spreadOf(counts) <= 1, `kFoldIndices(${n}, ${k}) class ${label} per fold: ${counts}`);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
    const { y } = indexed();
    const stratified = kFoldIndices(103, 5, { seed: SEED, labels: y });
    assertNotEquals(
      kFoldIndices(103, 5, { seed: SEED + 1, labels: y }),
      stratified,
      "with labels too, another seed shuffles differently",
    );
    assertClearError(() => kFoldIndices(103, 5, { seed: SEED, labels: y.slice(1) }), "label");
  });

  it("cross-validation holds out kFoldIndices' stratified folds in order and trains on the rest", async () => {
    for (const [k, seed] of [[4, SEED], [3, SEED + 1]]) {
      const data = indexed(103, seed);
      const expected = kFoldIndices(data.samples, k, { seed, labels: data.y });
      const seen: number[][] = [];
      const scores = await crossValidate(data, k, seed, async (train, val, fold) => {
        await Promise.resolve(); // a score may be asynchronous
        const held = Array.from(val.x);
        assertEquals(held, expected[fold], `fold ${fold}: the held-out rows are kFoldIndices' fold ${fold}`);
        const rest = new Set(held);
        assertEquals(
          sorted(train.x),
          range(data.samples).filter((i) => !rest.has(i)),
          `fold ${fold}: trains on every other row`,
        );
        for (const part of [train, val]) {
          Array.from(part.x).forEach((i, r) => assertEquals(part.y[r], data.y[i], `row ${i}'s label`));
        }
        seen.push(held);
        return fold / 10;
      });
      assertEquals(scores, range(k).map((f) => f / 10), "one score per fold, in fold order");
      const ones = seen.map((f) => f.filter((i) => data.y[i] === 1).length);
      assert(spreadOf(ones) <= 1, `stratified: class 1 per fold ${ones}`);
    }
  });

  it("model selection cross-validates every candidate on the same folds and keeps the best mean (the first on a tie)", async () => {
    const data = indexed();
    const held = new Map<number, string[]>();
    // A fake model: candidate c scores better the closer c is to 7; folds add ±0.01.
    const score = (c: number, _train: Dataset, val: Dataset) => {
      held.set(c, [...(held.get(c) ?? []), Array.from(val.x).join()]);
      return 1 - Math.abs(c - 7) / 10 + (val.x[0] % 2 ? 0.01 : -0.01);
    };
    const result = await selectByCrossValidation(data, [1, 4, 7, 9], 5, SEED, score);
    assertEquals(result.best, 7);
    assertEquals(result.scores.map((s) => s.length), [5, 5, 5, 5], "five fold scores per candidate");
    for (const [c, candidate] of [1, 4, 7, 9].entries()) {
      const alone = await crossValidate(data, 5, SEED, (train, val) => score(candidate, train, val));
      assertEquals(result.scores[c], alone, `candidate ${candidate}: the folds crossValidate gives`);
      assertAlmostEquals(result.means[c], alone.reduce((a, b) => a + b) / 5, 1e-12, `mean of ${candidate}`);
    }
    assert([...held.values()].every((v) => v.join("|") === held.get(1)!.join("|")), "the same folds for all");
    const tie = await selectByCrossValidation(data, ["b", "a", "c"], 4, SEED, (c) => (c === "c" ? 0.5 : 0.9));
    assertEquals(tie.best, "b", "on a tie, the first candidate");
    await assertRejectsClearly(
      () => selectByCrossValidation(data, [], 5, SEED, () => 1),
      "candidate",
      RangeError,
    );
  });

  it("Hoeffding: the fewest test samples that pin an accuracy within ±ε with probability 1 − δ", () => {
    assertEquals(hoeffdingSamples(0.05, 0.05), 738, "ceil(ln(2/0.05) / (2 · 0.05²))");
    assertEquals(hoeffdingSamples(0.1, 0.05), 185);
    assertEquals(hoeffdingSamples(0.01, 0.01), 26_492);
    const probability = fc.double({ min: 1e-4, max: 0.999, noNaN: true });
    assertProperty(
      fc.property(fc.double({ min: 0.005, max: 0.999, noNaN: true }), probability, (epsilon, delta) => {
        const n = hoeffdingSamples(epsilon, delta);
        assertEquals(
          n,
          Math.ceil(Math.log(2 / delta) / (2 * epsilon ** 2)),
          `hoeffdingSamples(${epsilon}, ${delta})`,
        );
        assert(hoeffdingEpsilon(n, delta) <= epsilon * (1 + 1e-12), "n samples reach ±ε");
        if (n > 1) assertGreater(hoeffdingEpsilon(n - 1, delta), epsilon, "and n − 1 do not");
        assert(
          hoeffdingSamples(epsilon, Math.min(delta * 2, 0.999)) <= n,
          "a larger δ needs no more samples",
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
    // The seed question's validation split has 30 samples: its accuracy is only known to about ±25 points.
    assertAlmostEquals(
      hoeffdingEpsilon(30, 0.05),
      Math.sqrt(Math.log(40) / 60),
      1e-12,
      "hoeffdingEpsilon(30, 0.05)",
    );
    assertClearError(() => hoeffdingSamples(0, 0.05), "epsilon");
    assertClearError(() => hoeffdingSamples(0.05, 1), "delta");
    assertClearError(() => hoeffdingEpsilon(0, 0.05), "samples");
    assertClearError(() => hoeffdingEpsilon(10.5, 0.05), "samples");
    assertClearError(() => hoeffdingEpsilon(10, 0), "delta");
  });

  it("a sealed test set scores one model once, hides its labels, and refuses a second look", async () => {
    const test = indexed(40);
    const sealed = sealTestSet(test);
    assertEquals(sealed.samples, 40);
    const truth = Array.from(test.y);
    test.y.fill(0); // the caller's copies change after sealing: the sealed set kept its own
    test.x.fill(0);
    let shown: unknown;
    const accuracy = await sealed.evaluate((features) => {
      shown = features;
      return Array.from(features.x, (i) => truth[i]); // a perfect "model" for this data
    });
    assertEquals(accuracy, 1);
    assert(shown && !("y" in (shown as object)), "predict must receive the features only, not the labels");
    let error: unknown;
    try {
      await sealed.evaluate(() => new Array(40).fill(0));
    } catch (e) {
      error = e;
    }
    assert(error instanceof Error, "a second evaluation must throw");
    assert(/once/i.test(error.message), `the error should say the test set is used once: ${error.message}`);
    assert(/validation/i.test(error.message), `and what to use instead: ${error.message}`);
  });

  it("an evaluation that fails (wrong number of predictions, or predict throws) does not use up the test set", async () => {
    const test = indexed(10);
    const sealed = sealTestSet(test);
    await assertRejectsClearly(() => sealed.evaluate(() => [0, 1]), "2", RangeError);
    let thrown: unknown;
    await sealed.evaluate(() => {
      throw new Error("model crashed");
    }).catch((e) => (thrown = e));
    assertEquals((thrown as Error)?.message, "model crashed", "predict's own error reaches the caller");
    await sealed.evaluate((f) => {
      f.x.fill(0); // predict writes into the features it is shown, then fails
      throw new Error("model crashed");
    }).catch(() => {});
    let shown: number[] = [];
    assertEquals(await sealed.evaluate((f) => Array.from(shown = Array.from(f.x), (i) => test.y[i])), 1);
    assertEquals(shown, range(10), "the sealed features are unchanged by what an earlier predict wrote");
  });

  it("two evaluations started together: one scores, the other is refused", async () => {
    const test = indexed(10);
    const sealed = sealTestSet(test);
    const slow = (f: { x: Float32Array }) =>
      new Promise<number[]>((resolve) => setTimeout(() => resolve(Array.from(f.x, (i) => test.y[i])), 5));
    const results = await Promise.allSettled([sealed.evaluate(slow), sealed.evaluate(slow)]);
    assertEquals(results.map((r) => r.status).sort(), ["fulfilled", "rejected"], "exactly one evaluation");
  });
});
