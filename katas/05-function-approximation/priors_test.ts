import fc from "fast-check";
import { assertProperty } from "@lib/testing/property.ts";
import { assertAlmostEquals, assertEquals, assertGreater, assertLess } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { measured } from "@lib/testing/measure.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import { createRng, kataSeed, type Rng } from "@lib/core/random.ts";
import { fitPolynomial, leastSquares, polynomialFeatures, predictLinear, sinFeatures } from "./priors.ts";

const SEED = kataSeed();

/** Mean squared error of predictions against targets. */
const mse = (predictions: number[], targets: number[]) =>
  predictions.reduce((s, p, i) => s + (p - targets[i]) ** 2, 0) / predictions.length;

/** `n` noisy measurements of sin(x) + y, x ∈ [x0, x1], y ∈ [-1, 1], noise N(0, noise²). */
function measurements(n: number, [x0, x1]: [number, number], noise: number, rng: Rng) {
  const inputs = Array.from({ length: n }, () => [x0 + (x1 - x0) * rng.uniform(), 2 * rng.uniform() - 1]);
  const targets = inputs.map(([x, y]) => Math.sin(x) + y + noise * rng.normal());
  return { inputs, targets };
}

const CUBIC = [0.5, -2, 0, 0.3]; // p(x) = 0.5 − 2x + 0.3x³
const cubic = (x: number) => CUBIC.reduce((sum, c, k) => sum + c * x ** k, 0);

describe("kata 05, step 3: priors", () => {
  it("leastSquares solves an overdetermined, noise-free system exactly", () => {
    const rng = createRng(SEED);
    const w = [1.5, -2, 0.25, 3];
    const design = Array.from({ length: 20 }, () => w.map(() => rng.normal()));
    const targets = design.map((row) => row.reduce((s, v, k) => s + v * w[k], 0));
    leastSquares(design, targets).forEach((c, k) => assertAlmostEquals(c, w[k], 1e-9, `coefficient ${k}`));
  });

  it("leastSquares minimises the squared error: its residual is orthogonal to every column", () => {
    const rng = createRng(SEED);
    const design = Array.from({ length: 30 }, () => [1, rng.normal(), rng.uniform()]);
    const targets = design.map(() => rng.normal());
    const w = leastSquares(design, targets);
    const residual = predictLinear(design, w).map((p, i) => targets[i] - p);
    for (let k = 0; k < 3; k++) {
      const dot = design.reduce((s, row, i) => s + row[k] * residual[i], 0);
      assertAlmostEquals(dot, 0, 1e-9, `column ${k} · residual`);
    }
  });

  it("leastSquares, for any full-rank design: exact on consistent data, residual orthogonal to every column", () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer(),
        (columns, extra, seed) => {
          const rng = createRng(seed);
          const rows = columns + extra;
          const design = Array.from(
            { length: rows },
            () => Array.from({ length: columns }, () => rng.normal()),
          );
          const w = Array.from({ length: columns }, () => 3 * rng.normal());
          const exact = design.map((row) => row.reduce((s, v, k) => s + v * w[k], 0));
          leastSquares(design, exact).forEach((c, k) =>
            assertAlmostEquals(c, w[k], 1e-6 * (1 + Math.abs(w[k])))
          );
          const targets = exact.map((t) => t + rng.normal());
          const fitted = leastSquares(design, targets);
          const residual = predictLinear(design, fitted).map((p, i) => targets[i] - p);
          for (let k = 0; k < columns; k++) {
            assertAlmostEquals(design.reduce((s, row, i) => s + row[k] * residual[i], 0), 0, 1e-8 * rows);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("leastSquares stays accurate on an ill-conditioned design, where the normal equations lose it", () => {
    // Powers of x up to x¹⁰ on 40 points of [0, 1] (condition number 2e7), and up to x⁷ on [0, 10] (1e8):
    // an SVD or QR of the design recovers exact coefficients to ~1e-9; the normal equations (XᵀX) w = Xᵀy
    // square the condition number (4e14, 1e16) and were 1.6e-3 and 6.3e-5 off (ml-matrix's solve).
    for (const [degree, high] of [[10, 1], [7, 10]]) {
      const xs = Array.from({ length: 40 }, (_, i) => (high * i) / 39);
      const design = xs.map((x) => Array.from({ length: degree + 1 }, (_, k) => x ** k));
      const w = Array.from({ length: degree + 1 }, (_, k) => (k % 3) - 0.5);
      const targets = design.map((row) => row.reduce((s, v, k) => s + v * w[k], 0));
      leastSquares(design, targets).forEach((c, k) =>
        assertAlmostEquals(
          c,
          w[k],
          1e-6,
          `coefficient ${k} of a degree-${degree} fit on [0, ${high}]: solve the design itself (SVD or QR), ` +
            "not the normal equations, which square its condition number",
        )
      );
    }
  });

  it("leastSquares rejects mismatched lengths, too few rows and a rank-deficient design", () => {
    assertClearError(() => leastSquares([[1, 2], [3, 4], [5, 6]], [1, 2]), /3.*2|2.*3/);
    assertClearError(() => leastSquares([[1, 2], [3]], [1, 2]), /row/i);
    assertClearError(() => leastSquares([[1, 2, 3]], [1]), /row|sample/i);
    assertClearError(
      () => leastSquares([[1, 2], [2, 4], [3, 6]], [1, 2, 3]),
      /rank|dependent|singular|redundant/i,
    );
  });

  it("sinFeatures maps [x, y] to [sin x, y, 1]", () => {
    assertEquals(sinFeatures([[0, 2], [Math.PI / 2, -1]]), [[0, 2, 1], [1, -1, 1]]);
    const points = [[1.3, -0.7], [-4, 0.25], [20, 3]];
    assertEquals(
      sinFeatures(points),
      points.map(([x, y]) => [Math.sin(x), y, 1]),
      "sin x, y, 1 at any point",
    );
    assertClearError(() => sinFeatures([[1, 2, 3]]), /\[x, y\]|2/);
  });

  it("with sin(x) as a feature, least squares recovers f = 1·sin x + 1·y + 0 from noisy measurements", () => {
    const { inputs, targets } = measurements(1024, [0, 2 * Math.PI], 0.05, createRng(SEED));
    const w = leastSquares(sinFeatures(inputs), targets);
    const error = measured(
      "max |coefficient error|, sin prior",
      Math.max(...w.map((c, k) => Math.abs(c - [1, 1, 0][k]))),
    );
    // observed 1.7e-3–6.4e-3 over seeds 1–20; asserted < 0.02
    assertLess(
      error,
      0.02,
      `coefficients should be [1, 1, 0] within 0.02, got [${w.map((c) => c.toFixed(4))}]`,
    );
  });

  it("...and that linear model extrapolates: on x ∈ [4π, 6π] its error stays ~1e-5, where the MLP's was > 1", () => {
    const { inputs, targets } = measurements(1024, [0, 2 * Math.PI], 0.05, createRng(SEED));
    const w = leastSquares(sinFeatures(inputs), targets);
    const shifted = measurements(2000, [4 * Math.PI, 6 * Math.PI], 0, createRng(SEED + 1));
    const predictions = predictLinear(sinFeatures(shifted.inputs), w);
    const error = mse(predictions, shifted.targets);
    // observed 2.2e-6–1.8e-5 over seeds 1–20 (2.0e-5 at seed 42); asserted < 1e-4
    assertLess(
      measured("shifted MSE, sin prior + least squares", error),
      1e-4,
      `the sin-prior model's MSE on x ∈ [4π, 6π] should be < 1e-4, got ${error}`,
    );
  });

  it("a wrong prior: powers of x up to x⁷ fit the domain as well as the network, and fail worse than it outside", () => {
    const { inputs, targets } = measurements(1024, [0, 2 * Math.PI], 0.05, createRng(SEED));
    const features = (points: number[][]) => points.map(([x, y]) => [...polynomialFeatures([x], 7)[0], y]);
    const w = leastSquares(features(inputs), targets);
    const inside = measurements(2000, [0, 2 * Math.PI], 0, createRng(SEED + 1));
    const shifted = measurements(2000, [4 * Math.PI, 6 * Math.PI], 0, createRng(SEED + 1));
    const inDomain = measured(
      "in-domain MSE, degree-7 polynomial prior",
      mse(predictLinear(features(inside.inputs), w), inside.targets),
    );
    const far = measured(
      "shifted MSE, degree-7 polynomial prior",
      mse(predictLinear(features(shifted.inputs), w), shifted.targets),
    );
    // The 3×128 network's in-domain MSE is 3.3e-4–1.2e-3 and its shifted MSE 2.4–35 (network_test.ts).
    // observed 1.1e-5–4.8e-5 over seeds 1–20; asserted < 1e-3
    assertLess(inDomain, 1e-3, `the degree-7 fit should be close on [0, 2π] (MSE < 1e-3), got ${inDomain}`);
    // observed 1.7e7–5.7e8 over seeds 1–20 (log10 7.2–8.8); asserted > 1e3
    assertGreater(far, 1e3, `the degree-7 fit should be far off on [4π, 6π] (MSE > 1e3), got ${far}`);
  });

  it("a wrong prior: cos x in place of sin x cannot even fit the domain", () => {
    const { inputs, targets } = measurements(1024, [0, 2 * Math.PI], 0.05, createRng(SEED));
    const features = (points: number[][]) => points.map(([x, y]) => [Math.cos(x), y, 1]);
    const w = leastSquares(features(inputs), targets);
    const inside = measurements(2000, [0, 2 * Math.PI], 0, createRng(SEED + 1));
    const inDomain = measured(
      "in-domain MSE, cos prior",
      mse(predictLinear(features(inside.inputs), w), inside.targets),
    );
    // sin and cos are orthogonal over a period: the best such fit leaves sin's variance, 0.5.
    // observed 0.483–0.521 over seeds 1–20; asserted > 0.3
    assertGreater(inDomain, 0.3, `the cos-prior fit should miss sin's variance (MSE > 0.3), got ${inDomain}`);
  });

  it("polynomialFeatures builds the rows [1, x, x², …, x^degree]", () => {
    assertEquals(polynomialFeatures([2, -1], 3), [[1, 2, 4, 8], [1, -1, 1, -1]]);
    assertProperty(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { maxLength: 5 }),
        fc.nat(6),
        (xs, degree) => {
          const rows = polynomialFeatures(xs, degree);
          assertEquals(rows.length, xs.length, "one row per point");
          rows.forEach((row, i) => {
            assertEquals(row.length, degree + 1, "degree + 1 columns");
            row.forEach((v, k) => assertAlmostEquals(v, xs[i] ** k, 1e-12 * (1 + Math.abs(xs[i] ** k))));
          });
        },
      ),
      { numRuns: 50 },
    );
    assertEquals(polynomialFeatures([5], 0), [[1]]);
    assertClearError(() => polynomialFeatures([1], 1.5), /degree/);
  });

  it("polynomial features + least squares recover a cubic's coefficients and extrapolate from [-2, 2] to [4, 6]", () => {
    const rng = createRng(SEED);
    const xs = Array.from({ length: 500 }, () => 4 * rng.uniform() - 2);
    const ys = xs.map((x) => cubic(x) + 0.1 * rng.normal());
    const c = fitPolynomial(xs, ys, 3);
    const error = measured(
      "max |cubic coefficient error|",
      Math.max(...c.map((v, k) => Math.abs(v - CUBIC[k]))),
    );
    // observed 0.0033–0.032 over seeds 1–20; asserted < 0.05
    assertLess(
      error,
      0.05,
      `coefficients should be [${CUBIC}] within 0.05, got [${c.map((v) => v.toFixed(4))}]`,
    );
    const far = [4, 5, 6];
    const relative = Math.max(
      ...far.map((x) => Math.abs(predictLinear(polynomialFeatures([x], 3), c)[0] / cubic(x) - 1)),
    );
    // observed 0.46 %–4.8 % over seeds 1–20; asserted < 10 %
    assertLess(
      measured("cubic relative error at x = 4..6", relative),
      0.1,
      `the fitted cubic should stay within 10 % of the true one at x = 4, 5, 6; worst relative error ${relative}`,
    );
  });

  it("predictLinear is design · coefficients and rejects a row of the wrong length", () => {
    assertEquals(predictLinear([[1, 2], [3, 4]], [10, 1]), [12, 34]);
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat(6), fc.integer(), (columns, rows, seed) => {
        const rng = createRng(seed);
        const design = Array.from(
          { length: rows },
          () => Array.from({ length: columns }, () => rng.normal()),
        );
        const c = Array.from({ length: columns }, () => rng.normal());
        const predictions = predictLinear(design, c);
        assertEquals(predictions.length, rows, "one prediction per row");
        predictions.forEach((p, i) =>
          assertAlmostEquals(p, design[i].reduce((s, v, k) => s + v * c[k], 0), 1e-12)
        );
      }),
      { numRuns: 50 },
    );
    assertClearError(() => predictLinear([[1, 2, 3]], [1, 2]), /3.*2|2.*3/);
  });
});
