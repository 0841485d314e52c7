/**
 * Kata 04's experiment: the tests' junction trajectories (2,000 for training, 200 held out); the reference
 * regressor (mean squared error) and CVAE trained on them; the futures they give one test agent per branch,
 * and their best-of-K errors and where the CVAE's samples end.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  trajectoryTensors,
} from "@lib/data/trajectories.ts";
import { seedEverything } from "@lib/core/random.ts";
import { minAdeFde, trainCvae, trainRegressor } from "../../solutions/04-probable-trajectories/forecast.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { type AgentPaths, type Path, pathsFigure } from "./figures.ts";

/** The tests' sizes. */
const TRAIN_SIZE = 2000;
const TEST_SIZE = 200;
/** A sample "ends on a branch" when its last point is this close to the branch's (as in the tests). */
const ON_BRANCH = 0.1;

/** Points `[x, y]` of path `index` in a flat array of paths of `steps` points. */
function path(values: ArrayLike<number>, index: number, steps: number): Path {
  return Array.from(
    { length: steps },
    (_, t) => [values[(index * steps + t) * 2], values[(index * steps + t) * 2 + 1]],
  );
}

/** The smallest range, on a 0.1 grid, that holds every point of `agents` on both axes. */
function square(agents: AgentPaths[]): [number, number] {
  const values = agents.flatMap((a) => [a.past, a.truth, ...a.branches, a.regressor, ...a.samples].flat(2));
  return [Math.floor(10 * Math.min(...values)) / 10, Math.ceil(10 * Math.max(...values)) / 10];
}

/** Kata 04's experiment. */
export const experiment: Experiment = {
  lesson: "At a junction an agent turns left, goes straight or turns right. A regressor trained with mean " +
    "squared error predicts the average of the three futures — a path between the branches that no agent " +
    "takes. A conditional VAE samples futures instead: with K samples, one of them lands near what happened " +
    "(best-of-K error several times smaller) and the samples split over the branches roughly as the data " +
    "does. Try the knobs: regressor only or with the CVAE, and K.",
  knobs: [
    {
      name: "models",
      label: "models",
      options: [
        { value: "both", label: "regressor, then CVAE" },
        { value: "regressor", label: "regressor only" },
      ],
      default: "both",
    },
    {
      name: "k",
      label: "CVAE samples per agent (K)",
      options: [{ value: "20", label: "20 (the tests')" }, { value: "5", label: "5" }, {
        value: "1",
        label: "1",
      }],
      default: "20",
    },
  ],
  async run(settings, { seed, onProgress }) {
    const k = Number(settings.k);
    const withCvae = settings.models === "both";
    seedEverything(seed);
    const train = generateJunctionTrajectories({ count: TRAIN_SIZE, seed });
    const test = generateJunctionTrajectories({ count: TEST_SIZE, seed: seed + 1 });
    const { past: trainPast, future: trainFuture } = trajectoryTensors(train);
    const { past: testPast, future: testFuture } = trajectoryTensors(test);
    const setup =
      `${TRAIN_SIZE} training trajectories of ${OBSERVED_STEPS} observed + ${FUTURE_STEPS} future ` +
      `points; the junction is at y = 0; ${withCvae ? `${k} CVAE samples per agent; ` : ""}seed ${seed}`;
    // The first test agent of each branch: no picking.
    const shown = BRANCHES.map((_, b) => Array.from(test.branch).indexOf(b));
    const agents: AgentPaths[] = shown.map((i, n) => ({
      title: `test agent ${i} (${BRANCHES[n] === "straight" ? "went straight" : `turned ${BRANCHES[n]}`})`,
      past: path(test.past, i, OBSERVED_STEPS),
      truth: path(test.future, i, FUTURE_STEPS),
      branches: BRANCHES.map((_, b) => path(test.branchFutures, i * BRANCHES.length + b, FUTURE_STEPS)),
      regressor: [],
      samples: [],
    }));
    const chart = (): Chart => ({
      name: "paths",
      spec: pathsFigure({
        agents,
        setup,
        bounds: square(agents),
        occupancy: { size: 0, min: 0, max: 0, steps: [], title: "" },
      }),
    });
    const readings: Reading[] = [];
    try {
      onProgress({ fraction: 0, stage: "training the regressor (128 Adam steps)", charts: [chart()] });
      const regressor = await trainRegressor(trainPast, trainFuture, { seed });
      const predicted = regressor.predict(testPast);
      const single = tf.expandDims(predicted, 1) as tf.Tensor4D;
      const regressorScore = minAdeFde(single, testFuture);
      const predictedValues = await predicted.data();
      tf.dispose([predicted, single]);
      shown.forEach((i, n) => agents[n].regressor = path(predictedValues, i, FUTURE_STEPS));
      readings.push(
        { label: "regressor: ADE", value: regressorScore.minAde, measure: "regressor ADE" },
        { label: "regressor: FDE", value: regressorScore.minFde, measure: "regressor FDE" },
      );
      onProgress({
        fraction: withCvae ? 0.3 : 1,
        stage: withCvae ? "training the CVAE (320 Adam steps)" : "done",
        charts: [chart()],
        readings,
      });
      if (withCvae) {
        const cvae = await trainCvae(trainPast, trainFuture, { seed });
        const samples = cvae.sample(testPast, k);
        const score = minAdeFde(samples, testFuture);
        const sampleValues = await samples.data();
        samples.dispose();
        shown.forEach((i, n) =>
          agents[n].samples = Array.from({ length: k }, (_, s) => path(sampleValues, i * k + s, FUTURE_STEPS))
        );
        let onBranch = 0;
        for (let i = 0; i < TEST_SIZE; i++) {
          const ends = BRANCHES.map((_, b) =>
            path(test.branchFutures, i * BRANCHES.length + b, FUTURE_STEPS).at(-1)!
          );
          for (let s = 0; s < k; s++) {
            const [x, y] = path(sampleValues, i * k + s, FUTURE_STEPS).at(-1)!;
            if (ends.some(([bx, by]) => Math.hypot(x - bx, y - by) < ON_BRANCH)) onBranch++;
          }
        }
        const tests = k === 20;
        readings.push(
          {
            label: `CVAE: minADE@${k}`,
            value: score.minAde,
            ...(tests ? { measure: "CVAE minADE@20" } : {}),
          },
          {
            label: `CVAE: minFDE@${k}`,
            value: score.minFde,
            ...(tests ? { measure: "CVAE minFDE@20" } : {}),
          },
          { label: `CVAE minADE@${k} / regressor ADE`, value: score.minAde / regressorScore.minAde },
          { label: "CVAE: share of samples ending on a branch", value: onBranch / (TEST_SIZE * k) },
        );
      }
      const charts = [chart()];
      onProgress({ fraction: 1, stage: "done", charts, readings });
      return { readings, charts };
    } finally {
      tf.dispose([trainPast, trainFuture, testPast, testFuture]);
    }
  },
};
