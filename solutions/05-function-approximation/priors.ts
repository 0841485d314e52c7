/**
 * Step 3 of kata 05: priors. When we know the form of the function, a linear model on the
 * right features, solved in closed form by least squares, beats any network.
 *
 * @module
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";

function checkRows(name: string, rows: readonly (readonly number[])[]): number {
  if (rows.length === 0) throw new Error(`${name}: got no rows; pass at least one sample`);
  const width = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new Error(
        `${name}: row ${i} has ${row.length} columns but row 0 has ${width}; every row needs the same`,
      );
    }
  });
  return width;
}

/**
 * Ordinary least squares: the coefficients `w` minimising `‖design · w − targets‖²`,
 * via ml-matrix's singular value decomposition (which also measures the design's rank).
 */
export function leastSquares(design: readonly (readonly number[])[], targets: readonly number[]): number[] {
  const columns = checkRows("leastSquares", design);
  if (targets.length !== design.length) {
    throw new Error(
      `leastSquares: design has ${design.length} rows but targets has ${targets.length} values; pass one target per row`,
    );
  }
  if (design.length < columns) {
    throw new Error(
      `leastSquares: ${design.length} rows cannot determine ${columns} coefficients; pass at least ${columns} samples`,
    );
  }
  const svd = new SingularValueDecomposition(new Matrix(design.map((row) => [...row])));
  if (svd.rank < columns) {
    throw new Error(
      `leastSquares: the design matrix has rank ${svd.rank} < ${columns} columns (a column is a combination ` +
        "of others); drop the redundant feature",
    );
  }
  return svd.solve(Matrix.columnVector([...targets])).getColumn(0);
}

/** The rows `[sin x, y, 1]` for inputs `[x, y]`. */
export function sinFeatures(inputs: readonly (readonly number[])[]): number[][] {
  return inputs.map((row, i) => {
    if (row.length !== 2) {
      throw new Error(`sinFeatures: input ${i} has ${row.length} values; expected [x, y]`);
    }
    return [Math.sin(row[0]), row[1], 1];
  });
}

/** The rows `[1, x, x², …, x^degree]`. */
export function polynomialFeatures(xs: readonly number[], degree: number): number[][] {
  if (!Number.isInteger(degree) || degree < 0) {
    throw new Error(`polynomialFeatures: degree must be a whole number ≥ 0, got ${degree}`);
  }
  return xs.map((x) => Array.from({ length: degree + 1 }, (_, k) => x ** k));
}

/** Least-squares polynomial coefficients `[c0, c1, …, c_degree]` for `ys ≈ Σ c_k x^k`. */
export function fitPolynomial(xs: readonly number[], ys: readonly number[], degree: number): number[] {
  return leastSquares(polynomialFeatures(xs, degree), ys);
}

/** `design · coefficients`, one prediction per row. */
export function predictLinear(
  design: readonly (readonly number[])[],
  coefficients: readonly number[],
): number[] {
  return design.map((row, i) => {
    if (row.length !== coefficients.length) {
      throw new Error(
        `predictLinear: row ${i} has ${row.length} features but there are ${coefficients.length} coefficients`,
      );
    }
    return row.reduce((sum, value, k) => sum + value * coefficients[k], 0);
  });
}
