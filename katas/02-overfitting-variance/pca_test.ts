import { assert, assertAlmostEquals, assertEquals, assertGreater, assertLess } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import fc from "fast-check";
import { assertProperty } from "@lib/testing/property.ts";
import { Matrix, SVD } from "ml-matrix";
import { initBackend } from "@lib/backend/init.ts";
import { generateGenomicsData, signalDirection } from "@lib/data/genomics.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import { fitPca } from "./pca.ts";
import { SEED, study } from "./test_setup.ts";

await initBackend();
const { data, train, validation } = study();
const COMPONENTS = 20;
const pca = once(() => fitPca(train, COMPONENTS));
const { samples: n, features: d } = train;

/** Centred training rows (with the training means), computed here without the learner's code. */
const centred = once(() => {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += train.x[i * d + j] / n;
  return {
    mean,
    rows: Array.from(
      { length: n },
      (_, i) => Float64Array.from({ length: d }, (_, j) => train.x[i * d + j] - mean[j]),
    ),
  };
});
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
};
/** Share of the training split's total variance along the unit vector `w`. */
const varianceShare = (w: ArrayLike<number>) => {
  const { rows } = centred();
  const total = rows.reduce((sum, row) => sum + dot(row, row), 0);
  return rows.reduce((sum, row) => sum + dot(row, w) ** 2, 0) / total;
};

describe("kata 02, step 4: PCA", () => {
  it("fitPca takes its centre from the training split and projects any split with it", () => {
    const model = pca();
    const { mean } = centred();
    const worst = mean.reduce((m, v, j) => Math.max(m, Math.abs(v - model.mean[j])), 0);
    assertLess(worst, 1e-5, "pca.mean should be the per-feature mean of the training rows");
    const projected = model.transform(validation);
    assertEquals(
      [projected.samples, projected.features],
      [validation.samples, COMPONENTS],
      "validation scores shape",
    );
    assertEquals(Array.from(projected.y), Array.from(validation.y), "transform keeps the labels");
    for (const i of [0, validation.samples - 1]) {
      const row = Float64Array.from({ length: d }, (_, j) => validation.x[i * d + j] - model.mean[j]);
      model.components.forEach((w, k) =>
        assertAlmostEquals(
          projected.x[i * COMPONENTS + k],
          dot(row, w),
          1e-3,
          `score of validation row ${i} on component ${k}`,
        )
      );
    }
    assertClearError(() => fitPca(train, n), "components");
    assertClearError(() => fitPca(train, 0), "components");
    assertClearError(() => fitPca(train, 2.5), "components");
    assertClearError(() => model.transform(pca().transform(train)), "features");
  });

  it("on small random data, its components and variance shares are those of the centred data's SVD", () => {
    const shape = fc.record({
      samples: fc.integer({ min: 4, max: 14 }),
      extra: fc.integer({ min: 1, max: 30 }),
      k: fc.integer({ min: 1, max: 13 }),
      seed: fc.integer({ min: 0, max: 2 ** 30 }),
    });
    assertProperty(
      fc.property(shape, ({ samples, extra, k: wanted, seed }) => {
        const small = generateGenomicsData({ samples, features: samples + extra, informative: 2, seed });
        const k = Math.min(wanted, samples - 1);
        const model = fitPca(small, k);
        const f = small.features;
        const rows = Array.from(
          { length: samples },
          (_, i) => Array.from(small.x.subarray(i * f, (i + 1) * f)),
        );
        const mean = rows[0].map((_, j) => rows.reduce((s, row) => s + row[j], 0) / samples);
        const svd = new SVD(new Matrix(rows.map((row) => row.map((v, j) => v - mean[j]))), {
          autoTranspose: true,
        });
        const total = svd.diagonal.reduce((s, v) => s + v * v, 0);
        assertEquals(model.components.length, k, "one direction per component");
        for (let c = 0; c < k; c++) {
          const v = svd.rightSingularVectors.getColumn(c);
          assertAlmostEquals(Math.abs(dot(model.components[c], v)), 1, 1e-4, `component ${c} vs the SVD's`);
          assertAlmostEquals(
            model.explainedVarianceRatio[c],
            svd.diagonal[c] ** 2 / total,
            1e-6,
            `share ${c}`,
          );
        }
        const scores = model.transform(small);
        for (let c = 0; c < k; c++) {
          let sum = 0;
          for (let i = 0; i < samples; i++) sum += scores.x[i * k + c];
          assertAlmostEquals(sum / samples, 0, 1e-3, `training scores on component ${c} are centred`);
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it("the components are orthonormal and each explains the share of variance it reports, largest first", () => {
    const { components, explainedVarianceRatio: ratio } = pca();
    assertEquals(components.length, COMPONENTS);
    assertEquals(ratio.length, COMPONENTS);
    for (let a = 0; a < COMPONENTS; a++) {
      for (let b = a; b < COMPONENTS; b++) {
        assertAlmostEquals(
          dot(components[a], components[b]),
          a === b ? 1 : 0,
          1e-6,
          `component ${a} · component ${b}`,
        );
      }
    }
    for (const k of [0, COMPONENTS - 1]) {
      assertAlmostEquals(ratio[k], varianceShare(components[k]), 1e-6, `variance share of component ${k}`);
    }
    assert(ratio.every((r, k) => k === 0 || r <= ratio[k - 1]), `ratios should decrease: ${ratio}`);
  });

  it("the top 20 components keep a third of the variance but little of the direction that separates the classes", () => {
    const { components, explainedVarianceRatio: ratio } = pca();
    const u = signalDirection(data);
    const kept = components.reduce((sum, w) => sum + dot(w, u) ** 2, 0);
    const signalShare = varianceShare(u);
    const total = ratio.reduce((s, r) => s + r, 0);
    measured("20th component variance share", ratio[COMPONENTS - 1]);
    // observed 0.343–0.346 over seeds 1–20 (wasm); asserted < 0.5
    assertLess(measured("PCA-20 explained variance", total), 0.5, "share of variance the 20 components keep");
    // observed 0.0031–0.0034 vs 0.0156–0.0159 over seeds 1–20; asserted below the 20th component's share
    assertLess(
      measured("signal direction variance share", signalShare),
      ratio[COMPONENTS - 1],
      "the class-separating direction should carry less variance than the 20th component",
    );
    // observed 0.133–0.156 over seeds 1–20; asserted < 0.3
    assertLess(
      measured("signal kept by PCA-20", kept),
      0.3,
      "share of the class-separating direction in the top 20",
    );
    assertGreater(kept, 0, "the components should not be orthogonal to the signal either");
  });
});
