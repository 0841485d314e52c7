import { assertAlmostEquals, assertEquals, assertLess } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { measured } from "@lib/testing/measure.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import { createRng, kataSeed, type Rng } from "@lib/core/random.ts";
import { fitPolynomial, leastSquares, polynomialFeatures, predictLinear, sinFeatures } from "./priors.ts";

const SEED = kataSeed();

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
    assertClearError(() => sinFeatures([[1, 2, 3]]), /\[x, y\]|2/);
  });

  it("with sin(x) as a feature, least squares recovers f = 1·sin x + 1·y + 0 from noisy measurements", () => {
    const { inputs, targets } = measurements(1024, [0, 2 * Math.PI], 0.05, createRng(SEED));
    const w = leastSquares(sinFeatures(inputs), targets);
    const error = measured(
      "max |coefficient error|, sin prior",
      Math.max(...w.map((c, k) => Math.abs(c - [1, 1, 0][k]))),
    );
    // observed 1.8e-3–6.4e-3 over seeds 1–10; asserted < 0.02
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
    const mse = predictions.reduce((s, p, i) => s + (p - shifted.targets[i]) ** 2, 0) / predictions.length;
    // observed 2.2e-6–1.6e-5 over seeds 1–10; asserted < 1e-4
    assertLess(
      measured("shifted MSE, sin prior + least squares", mse),
      1e-4,
      `the sin-prior model's MSE on x ∈ [4π, 6π] should be < 1e-4, got ${mse}`,
    );
  });

  it("polynomialFeatures builds the rows [1, x, x², …, x^degree]", () => {
    assertEquals(polynomialFeatures([2, -1], 3), [[1, 2, 4, 8], [1, -1, 1, -1]]);
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
    // observed 0.0033–0.015 over seeds 1–10; asserted < 0.05
    assertLess(
      error,
      0.05,
      `coefficients should be [${CUBIC}] within 0.05, got [${c.map((v) => v.toFixed(4))}]`,
    );
    const far = [4, 5, 6];
    const relative = Math.max(
      ...far.map((x) => Math.abs(predictLinear(polynomialFeatures([x], 3), c)[0] / cubic(x) - 1)),
    );
    // observed 0.46 %–2.0 % over seeds 1–10; asserted < 10 %
    assertLess(
      measured("cubic relative error at x = 4..6", relative),
      0.1,
      `the fitted cubic should stay within 10 % of the true one at x = 4, 5, 6; worst relative error ${relative}`,
    );
  });

  it("predictLinear is design · coefficients and rejects a row of the wrong length", () => {
    assertEquals(predictLinear([[1, 2], [3, 4]], [10, 1]), [12, 34]);
    assertClearError(() => predictLinear([[1, 2, 3]], [1, 2]), /3.*2|2.*3/);
  });
});
