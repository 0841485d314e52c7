/**
 * Kata 05, reference solution of the challenge (step 6): predict a machine far outside the range it
 * can be measured in. One honest way: the data show that f repeats in x, so the prior is "a periodic
 * function of x plus a smooth function of y". Find the period first (the frequency whose sine and
 * cosine explain the most of the measurements), then fit a short Fourier series in x plus a
 * quadratic in y by least squares at that frequency, refining the frequency by the same residual.
 *
 * @module
 */
import type { Rng } from "@lib/core/random.ts";
import type { Point, Predictor, Sensor } from "./contract.ts";
import { PERIOD_RANGE } from "./contract.ts";
import { Matrix, solve } from "ml-matrix";
import { leastSquares, predictLinear } from "./priors.ts";

/** Harmonics of the Fourier series in x. */
const HARMONICS = 4;

/** The features at `omega`: sin and cos of each harmonic of x, then y, y² and 1. */
function features(points: readonly Point[], omega: number, harmonics: number): number[][] {
  return points.map(([x, y]) => {
    const row: number[] = [];
    for (let k = 1; k <= harmonics; k++) row.push(Math.sin(k * omega * x), Math.cos(k * omega * x));
    row.push(y, y * y, 1);
    return row;
  });
}

/**
 * The sum of squared residuals of the least-squares fit at `omega`. Only the residual is needed, and
 * dozens of times, so this solves the small normal equations (XᵀX) w = Xᵀv instead of a decomposition of
 * the whole design: the Fourier features of points spread over many periods are nearly orthogonal, so
 * XᵀX is well conditioned. The fit itself goes through `leastSquares`.
 */
function residual(
  points: readonly Point[],
  values: readonly number[],
  omega: number,
  harmonics: number,
): number {
  const design = features(points, omega, harmonics);
  const columns = design[0].length;
  const gram = Array.from({ length: columns }, () => new Array<number>(columns).fill(0));
  const moments = new Array<number>(columns).fill(0);
  design.forEach((row, i) => {
    for (let j = 0; j < columns; j++) {
      moments[j] += row[j] * values[i];
      for (let k = 0; k <= j; k++) gram[j][k] += row[j] * row[k];
    }
  });
  gram.forEach((row, j) => row.forEach((_, k) => row[k] = gram[Math.max(j, k)][Math.min(j, k)]));
  const w = solve(new Matrix(gram), Matrix.columnVector(moments)).getColumn(0);
  return values.reduce((sum, v) => sum + v * v, 0) - w.reduce((sum, wj, j) => sum + wj * moments[j], 0);
}

/** The argument of the smallest `f` on `[low, high]` (golden-section search; `f` unimodal there). */
function goldenMinimum(f: (x: number) => number, low: number, high: number, tolerance: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let fa = f(a);
  let fb = f(b);
  while (high - low > tolerance) {
    if (fa < fb) {
      high = b;
      b = a;
      fb = fa;
      a = high - ratio * (high - low);
      fa = f(a);
    } else {
      low = a;
      a = b;
      fa = fb;
      b = low + ratio * (high - low);
      fb = f(b);
    }
  }
  return (low + high) / 2;
}

/**
 * Step 6 (challenge): measures the whole budget at random points of the sensor's domain, finds the
 * period, and returns the least-squares Fourier model.
 */
export function fitMachine(sensor: Sensor, rng: Rng): Predictor {
  const { x: [x0, x1], y: [y0, y1] } = sensor.domain;
  const points: Point[] = Array.from(
    { length: sensor.budget - sensor.used },
    () => [x0 + (x1 - x0) * rng.uniform(), y0 + (y1 - y0) * rng.uniform()],
  );
  const values = sensor.measure(points);
  // The period: scan the allowed frequencies for the one whose sine and cosine correlate most with
  // what y and a constant leave unexplained (a periodogram). Its peak is about 2π / (x1 − x0) wide,
  // so the scan steps a tenth of that.
  const trend = leastSquares(points.map(([, y]) => [y, y * y, 1]), values);
  const rest = values.map((v, i) => v - (trend[0] * points[i][1] + trend[1] * points[i][1] ** 2 + trend[2]));
  const [shortest, longest] = PERIOD_RANGE;
  const step = (2 * Math.PI) / (x1 - x0) / 10;
  let best = { omega: 0, power: -Infinity };
  for (let omega = (2 * Math.PI) / longest; omega <= (2 * Math.PI) / shortest; omega += step) {
    let s = 0;
    let c = 0;
    points.forEach(([x], i) => {
      s += rest[i] * Math.sin(omega * x);
      c += rest[i] * Math.cos(omega * x);
    });
    if (s * s + c * c > best.power) best = { omega, power: s * s + c * c };
  }
  // Then the frequency at which the whole model fits best, near that peak.
  const omega = goldenMinimum(
    (w) => residual(points, values, w, HARMONICS),
    best.omega - step,
    best.omega + step,
    1e-7,
  );
  const coefficients = leastSquares(features(points, omega, HARMONICS), values);
  return (queries) => predictLinear(features(queries, omega, HARMONICS), coefficients);
}
