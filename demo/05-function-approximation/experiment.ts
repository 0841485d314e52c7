/**
 * Kata 05's experiment: the tests' MLP learns f(x, y) = sin(x) + y from 1,024 noisy measurements on
 * x ∈ [0, 2π], and so does the sin-feature least-squares model (a prior); both are compared with the truth
 * along x (at y = 0) out to a range the data never covered, with the tests' own error measurement (2,000
 * exact points of each range). `deno task demo 05` draws its figure from this experiment.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng, type Rng, seedEverything } from "@lib/core/random.ts";
import {
  buildMlp,
  DEEP,
  type Domain,
  sampleFunction,
  SHIFTED_DOMAIN,
  train,
  TRAIN_DOMAIN,
  TRAINING,
} from "../../solutions/05-function-approximation/network.ts";
import {
  leastSquares,
  predictLinear,
  sinFeatures,
} from "../../solutions/05-function-approximation/priors.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { type Curve, extrapolationFigure } from "./figures.ts";

/** The tests' data: 1,024 measurements, noise 0.05. */
const TRAIN_SIZE = 1024;
const NOISE = 0.05;
/** Points along x in the figure. */
const GRID = 401;
/** Exact points per range in the error measurement (as in the tests). */
const EVALUATION_POINTS = 2000;

const ARCHITECTURES: Record<string, readonly number[]> = { "3x128": DEEP, "3x32": [32, 32, 32] };
const RANGES: Record<string, { domain: Domain; label: string }> = {
  shifted: { domain: SHIFTED_DOMAIN, label: "x ∈ [4π, 6π]" },
  far: { domain: { x: [20 * Math.PI, 22 * Math.PI], y: [-1, 1] }, label: "x ∈ [20π, 22π]" },
};

/**
 * The mean squared error of `predict` against sin(x) + y at 2,000 uniform points of `domain` drawn with
 * `rng` — the tests' own measurement (x then y per point).
 */
function errorOn(predict: (points: [number, number][]) => number[], domain: Domain, rng: Rng): number {
  const points = Array.from({ length: EVALUATION_POINTS }, (): [number, number] => [
    domain.x[0] + (domain.x[1] - domain.x[0]) * rng.uniform(),
    domain.y[0] + (domain.y[1] - domain.y[0]) * rng.uniform(),
  ]);
  const predicted = predict(points);
  return points.reduce((sum, [x, y], i) => sum + (predicted[i] - Math.sin(x) - y) ** 2, 0) / points.length;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 30));

/** Kata 05's experiment. */
export const experiment: Experiment = {
  lesson: "An MLP fits sin(x) + y closely where it has measurements (x ∈ [0, 2π]) and nowhere else: past " +
    "the data a ReLU network continues in a straight line, so its error on a shifted range is thousands of " +
    "times its in-range error — more data or a deeper network does not change that. A model with the right " +
    "prior (least squares on the features sin x, y, 1) extrapolates to any range. Try the knobs: the range " +
    "evaluated and the network's size.",
  knobs: [
    {
      name: "range",
      label: "evaluated far from the data on",
      options: Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label })),
      default: "shifted",
    },
    {
      name: "architecture",
      label: "MLP",
      options: [
        { value: "3x128", label: "3 × 128 ReLU (the tests')" },
        { value: "3x32", label: "3 × 32 ReLU" },
      ],
      default: "3x128",
    },
  ],
  async run(settings, { seed, onProgress }) {
    const hidden = ARCHITECTURES[settings.architecture];
    const far = RANGES[settings.range];
    const mlpName = `MLP ${hidden.length}×${hidden[0]}`;
    const end = far.domain.x[1];
    const xs = Array.from({ length: GRID }, (_, i) => -2 * Math.PI + ((end + 2 * Math.PI) * i) / (GRID - 1));
    const setup = `${TRAIN_SIZE} noisy measurements (σ ${NOISE}) on x ∈ [0, 2π], y ∈ [−1, 1]; ` +
      `${TRAINING.steps} Adam steps, batch ${TRAINING.batchSize}; seed ${seed}`;
    const curves: Curve[] = [{ model: "f(x, 0) = sin x", values: xs.map(Math.sin) }];
    const chart = (): Chart => ({
      name: "extrapolation",
      spec: extrapolationFigure({
        xs,
        curves,
        bands: [
          { label: "training range", from: TRAIN_DOMAIN.x[0], to: TRAIN_DOMAIN.x[1] },
          { label: "far test range", from: far.domain.x[0], to: far.domain.x[1] },
        ],
        yRange: [-4, 4],
        setup,
      }),
    });

    seedEverything(seed * 1000 + 1); // the tests' initial weights for the 3×128 network (stream 1)
    const rng = createRng(seed);
    const data = sampleFunction(TRAIN_SIZE, TRAIN_DOMAIN, NOISE, rng);
    try {
      // The prior first: least squares is instant, so the chart shows it while the network trains.
      const coefficients = leastSquares(
        sinFeatures(data.inputs.arraySync()),
        data.targets.arraySync().flat(),
      );
      const prior = (points: [number, number][]) => predictLinear(sinFeatures(points), coefficients);
      curves.push({ model: "sin features + least squares", values: prior(xs.map((x) => [x, 0])) });
      onProgress({
        fraction: 0.05,
        stage: `training: ${mlpName}, ${TRAINING.steps} steps`,
        charts: [chart()],
      });
      await pause(); // let the page draw it: the training below holds the thread

      const mlp = buildMlp(hidden);
      try {
        const losses = train(mlp, data, TRAINING, rng);
        const predict = (points: [number, number][]) =>
          tf.tidy(() =>
            Array.from((mlp.predict(tf.tensor2d(points), { batchSize: 500 }) as tf.Tensor).dataSync())
          );
        curves.splice(1, 0, { model: mlpName, values: predict(xs.map((x) => [x, 0])) });
        const inDomain = errorOn(predict, TRAIN_DOMAIN, createRng(seed + 1));
        const shifted = errorOn(predict, far.domain, createRng(seed + 2));
        const priorShifted = errorOn(prior, far.domain, createRng(seed + 2));
        // the tests' setup: the 3×128 network on x ∈ [4π, 6π]
        const tests = settings.architecture === "3x128";
        const onShifted = tests && settings.range === "shifted";
        const readings: Reading[] = [
          { label: "training loss, last step", value: losses.at(-1) ?? NaN },
          {
            label: `${mlpName}: MSE on x ∈ [0, 2π]`,
            value: inDomain,
            ...(tests ? { measure: "in-domain MSE, 3×128" } : {}),
          },
          {
            label: `${mlpName}: MSE on ${far.label}`,
            value: shifted,
            ...(onShifted ? { measure: "shifted MSE, 3×128" } : {}),
          },
          {
            label: `${mlpName}: far / in-range MSE`,
            value: shifted / inDomain,
            ...(onShifted ? { measure: "shifted / in-domain MSE, 3×128" } : {}),
          },
          {
            label: `sin prior: MSE on ${far.label}`,
            value: priorShifted,
            ...(settings.range === "shifted" ? { measure: "shifted MSE, sin prior + least squares" } : {}),
          },
        ];
        const charts = [chart()];
        onProgress({ fraction: 1, stage: "done", charts, readings });
        return { readings, charts };
      } finally {
        mlp.dispose();
      }
    } finally {
      tf.dispose([data.inputs, data.targets]);
    }
  },
};
