/**
 * Kata 05, step 3: priors. When we know the form of the function, a linear model on the right
 * features, fitted in closed form by least squares, recovers it exactly enough to extrapolate.
 *
 * @module
 */
import { notImplemented } from "@lib/testing/not_implemented.ts";

/**
 * Ordinary least squares: the coefficients `w` minimising `‖design · w − targets‖²`.
 *
 * Use a real linear-algebra routine, not normal equations typed out by hand: ml-matrix's
 * `SingularValueDecomposition` solves the problem and its `rank` tells a rank-deficient design
 * (`QrDecomposition` solves it too, but its `isFullRank()` only catches exact zeros). Throw a
 * clear error, with the counts involved, when the rows have different lengths, the number of
 * targets is not the number of rows, there are fewer rows (samples) than columns, or the design
 * is rank deficient (say so: a column is a combination of others).
 *
 * @param _design One row of features per sample.
 * @param _targets One target per row.
 * @returns One coefficient per column.
 */
export function leastSquares(_design: readonly (readonly number[])[], _targets: readonly number[]): number[] {
  return notImplemented("leastSquares", 3);
}

/**
 * The features of the prior "f is a combination of sin(x), y and a constant": for each input
 * `[x, y]`, the row `[sin x, y, 1]`. Throw a clear error for an input that is not `[x, y]`.
 *
 * @param _inputs One `[x, y]` per sample.
 * @returns One `[sin x, y, 1]` per sample.
 */
export function sinFeatures(_inputs: readonly (readonly number[])[]): number[][] {
  return notImplemented("sinFeatures", 3);
}

/**
 * The rows `[1, x, x², …, x^degree]`. Throw a clear error for a degree that is not a whole
 * number ≥ 0.
 *
 * @param _xs The points.
 * @param _degree The highest power.
 * @returns One row per point.
 */
export function polynomialFeatures(_xs: readonly number[], _degree: number): number[][] {
  return notImplemented("polynomialFeatures", 3);
}

/**
 * The least-squares polynomial `ys ≈ c0 + c1·x + … + c_degree·x^degree`: polynomial features,
 * then {@linkcode leastSquares}.
 *
 * @param _xs The points.
 * @param _ys The measurements.
 * @param _degree The degree.
 * @returns `[c0, c1, …, c_degree]`.
 */
export function fitPolynomial(_xs: readonly number[], _ys: readonly number[], _degree: number): number[] {
  return notImplemented("fitPolynomial", 3);
}

/**
 * A linear model's predictions: `design · coefficients`, one per row. Throw a clear error, with
 * both counts, when a row's length is not the number of coefficients.
 *
 * @param _design One row of features per sample.
 * @param _coefficients One per column.
 * @returns One prediction per row.
 */
export function predictLinear(
  _design: readonly (readonly number[])[],
  _coefficients: readonly number[],
): number[] {
  return notImplemented("predictLinear", 3);
}
