import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { Dataset, PcaModel } from "./contract.ts";

export type { PcaModel } from "./contract.ts";

export function fitPca(train: Dataset, components: number): PcaModel {
  const { samples: n, features: d } = train;
  if (!Number.isInteger(components) || components < 1 || components > n - 1) {
    throw new RangeError(
      `fitPca: components must be an integer in [1, samples - 1 = ${n - 1}], got ${components}: ` +
        `${n} centred samples span at most ${n - 1} directions`,
    );
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += train.x[i * d + j] / n;
  const rows = Array.from(
    { length: n },
    (_, i) => Float64Array.from(train.x.subarray(i * d, (i + 1) * d), (v, j) => v - mean[j]),
  );
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += a[j] * b[j];
    return sum;
  };
  // n ≪ d: decompose the n × n Gram matrix X Xᵀ of the centred rows instead of the d × d
  // covariance. Its eigenvectors v give the principal directions Xᵀv / √λ, with the same λ.
  const gram = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      const value = dot(rows[i], rows[k]);
      gram.set(i, k, value);
      gram.set(k, i, value);
    }
  }
  const eig = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((value, index) => ({ value, index })).sort((a, b) =>
    b.value - a.value
  );
  const total = order.reduce((sum, { value }) => sum + Math.max(value, 0), 0);
  const top = order.slice(0, components);
  const directions = top.map(({ value, index }) => {
    const w = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const weight = eig.eigenvectorMatrix.get(i, index) / Math.sqrt(value);
      for (let j = 0; j < d; j++) w[j] += weight * rows[i][j];
    }
    return w;
  });
  return {
    mean,
    components: directions,
    explainedVarianceRatio: top.map(({ value }) => value / total),
    transform(data) {
      if (data.features !== d) {
        throw new RangeError(
          `PcaModel.transform: data has ${data.features} features, the PCA was fitted on ${d}`,
        );
      }
      const x = new Float32Array(data.samples * components);
      for (let i = 0; i < data.samples; i++) {
        const row = data.x.subarray(i * d, (i + 1) * d);
        const centredRow = Float64Array.from(row, (v, j) => v - mean[j]);
        directions.forEach((w, k) => (x[i * components + k] = dot(centredRow, w)));
      }
      return { x, y: data.y.slice(), samples: data.samples, features: components };
    },
  };
}
