/**
 * Kata 05's demo: the reference solution's 3×128 MLP learns sin(x) + y on x ∈ [0, 2π]; along
 * x (at y = 0) it is compared with the truth and with the sin-feature least-squares model,
 * from −2π to 6π.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng, seedEverything } from "@lib/core/random.ts";
import {
  buildMlp,
  DEEP,
  meanSquaredError,
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
import type { Demo, DemoContext } from "../demo.ts";
import { drawFigures, type ExtrapolationNumbers } from "./figures.ts";

/** The tests' data: 1,024 measurements, noise 0.05. */
const TRAIN_SIZE = 1024;
const NOISE = 0.05;
/** Points along x, from −2π to 6π. */
const GRID = 401;

/** The demo. */
export const demo: Demo = async (context) => {
  const { table, numbers } = await measure(context);
  return { table, figures: await drawFigures(numbers) };
};

/**
 * Trains the MLP, fits the sin-feature model, and evaluates both.
 *
 * @param context Seed and progress.
 * @returns The table rows and the figure's numbers.
 */
export function measure(
  { seed, progress }: DemoContext,
): Promise<{ table: Record<string, string | number>[]; numbers: ExtrapolationNumbers }> {
  const rng = createRng(seed);
  const data = sampleFunction(TRAIN_SIZE, TRAIN_DOMAIN, NOISE, rng);
  seedEverything(seed);
  const mlp = buildMlp(DEEP);
  progress.start(`MLP ${DEEP.length}×${DEEP[0]}, ${TRAINING.steps} Adam steps`, 1);
  const losses = train(mlp, data, TRAINING, rng);
  progress.update(1, { loss: losses.at(-1)! });
  progress.stop();

  const inputs = data.inputs.arraySync();
  const coefficients = leastSquares(sinFeatures(inputs), data.targets.arraySync().map((row) => row[0]));

  const xs = Array.from({ length: GRID }, (_, i) => -2 * Math.PI + (8 * Math.PI * i) / (GRID - 1));
  const grid = tf.tensor2d(xs.map((x) => [x, 0]));
  const mlpValues = Array.from((mlp.predict(grid) as tf.Tensor).dataSync());
  const priorValues = predictLinear(sinFeatures(xs.map((x) => [x, 0])), coefficients);

  const evaluation = createRng(seed + 1);
  const row = (domain: typeof TRAIN_DOMAIN, name: string) => {
    const exact = sampleFunction(2000, domain, 0, evaluation);
    const points = exact.inputs.arraySync();
    const truth = exact.targets.arraySync().map((r) => r[0]);
    const prior = predictLinear(sinFeatures(points), coefficients);
    const priorMse = prior.reduce((sum, p, i) => sum + (p - truth[i]) ** 2, 0) / truth.length;
    const result = {
      "evaluated on": name,
      "MLP 3×128 MSE": meanSquaredError(mlp, exact).toExponential(2),
      "sin features + least squares MSE": priorMse.toExponential(2),
    };
    tf.dispose([exact.inputs, exact.targets]);
    return result;
  };
  const table = [
    row(TRAIN_DOMAIN, "x ∈ [0, 2π] (training range)"),
    row(SHIFTED_DOMAIN, "x ∈ [4π, 6π] (shifted)"),
    {
      "evaluated on": "fitted coefficients (sin x, y, 1)",
      "MLP 3×128 MSE": "",
      "sin features + least squares MSE": coefficients.map((c) => c.toFixed(4)).join(", "),
    },
  ];
  tf.dispose([grid, data.inputs, data.targets]);
  mlp.dispose();

  return Promise.resolve({
    table,
    numbers: {
      xs,
      curves: [
        { model: "f(x, 0) = sin x", values: xs.map(Math.sin) },
        { model: `MLP ${DEEP.length}×${DEEP[0]}`, values: mlpValues },
        { model: "sin features + least squares", values: priorValues },
      ],
      bands: [
        { label: "training range", from: TRAIN_DOMAIN.x[0], to: TRAIN_DOMAIN.x[1] },
        { label: "shifted test range", from: SHIFTED_DOMAIN.x[0], to: SHIFTED_DOMAIN.x[1] },
      ],
      yRange: [-4, 4],
      setup: `${TRAIN_SIZE} noisy measurements (σ ${NOISE}) on x ∈ [0, 2π], y ∈ [−1, 1]; ` +
        `${TRAINING.steps} Adam steps, batch ${TRAINING.batchSize}; seed ${seed}`,
    },
  });
}
