/**
 * Kata 04's experiment: the tests' junction trajectories (2,000 for training, 200 held out); the reference
 * regressor (mean squared error), CVAE and, on request, step 6's branch sampler trained on them; the futures
 * they give one test agent per branch, their best-of-K errors, where their samples end, and the occupancy
 * grid of many CVAE samples for one agent. The demo runs it with every model (`models: "all"`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  type TrajectorySet,
  trajectoryTensors,
} from "@lib/data/trajectories.ts";
import { scoreSamples } from "@lib/data/junction_challenge.ts";
import { seedEverything } from "@lib/core/random.ts";
import {
  type BestOfK,
  KATA_GRID,
  minAdeFde,
  occupancyGrid,
  pathClassCount,
  trainCvae,
  trainRegressor,
  type TrajectorySampler,
} from "../../solutions/04-probable-trajectories/forecast.ts";
import { trainBranchSampler } from "../../solutions/04-probable-trajectories/challenge.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { type AgentPaths, occupancyFigure, type Path, pathsFigure } from "./figures.ts";

/** The tests' sizes. */
const TRAIN_SIZE = 2000;
const TEST_SIZE = 200;
/** A sample "ends on a branch" when its last point is this close to the branch's (as in the tests). */
const ON_BRANCH = 0.1;
/** CVAE samples for the occupancy grid. */
const OCCUPANCY_SAMPLES = 500;
/** Cells per side of the grid whose path classes step 1 counts. */
const CLASS_GRID = 16;

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

/**
 * `k` samples per test past from `sampler`: their values, their best-of-K errors, and the readings of where
 * they end (scored as the tests score them).
 */
async function samplesOf(
  sampler: TrajectorySampler,
  name: string,
  k: number,
  { test, testPast, testFuture }: { test: TrajectorySet; testPast: tf.Tensor3D; testFuture: tf.Tensor3D },
): Promise<{ values: Float32Array; best: BestOfK; readings: Reading[] }> {
  const samples = sampler.sample(testPast, k);
  const best = minAdeFde(samples, testFuture);
  const values = Float32Array.from(await samples.data());
  samples.dispose();
  const score = scoreSamples(values, test, TEST_SIZE, k, ON_BRANCH);
  const readings = BRANCHES.map((branch, b) => ({
    label: `${name}: share of samples ending on the ${branch} branch`,
    value: score.onBranch[b] / score.total,
  }));
  readings.push({ label: `${name}: share of samples ending on a branch`, value: 1 - score.between });
  return { values, best, readings };
}

/** Kata 04's experiment. */
export const experiment: Experiment = {
  lesson: "At a junction an agent turns left, goes straight or turns right. A regressor trained with mean " +
    "squared error predicts the average of the three futures — a path between the branches that no agent " +
    "takes. A conditional VAE samples futures instead: with K samples, one of them lands near what happened " +
    "(best-of-K error several times smaller) and the samples split over the branches roughly as the data " +
    "does. Try the knobs: regressor only, with the CVAE, or also step 6's branch sampler; and K.",
  knobs: [
    {
      name: "models",
      label: "models",
      options: [
        { value: "both", label: "regressor, then CVAE" },
        { value: "regressor", label: "regressor only" },
        { value: "all", label: "regressor, CVAE, step 6's sampler" },
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
    const withCvae = settings.models !== "regressor";
    const withBranchSampler = settings.models === "all";
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
    let occupancy: Chart | undefined;
    const charts = (): Chart[] => [
      { name: "futures", spec: pathsFigure({ agents, setup, bounds: square(agents) }) },
      ...(occupancy ? [occupancy] : []),
    ];
    const readings: Reading[] = [{
      label: `classes of a softmax over ${CLASS_GRID}×${CLASS_GRID}-cell paths`,
      value: Number(pathClassCount(CLASS_GRID, FUTURE_STEPS)),
    }];
    const stages = [
      "training the regressor (128 Adam steps)",
      ...(withCvae ? ["training the CVAE (320 Adam steps)"] : []),
      ...(withBranchSampler ? ["training step 6's branch sampler"] : []),
    ];
    /** Reports that stage `done` of `stages` is over (each stage an equal share of the fraction). */
    const report = (done: number) =>
      onProgress({
        fraction: done / stages.length,
        stage: stages[done] ?? "done",
        charts: charts(),
        readings: [...readings],
      });
    const data = { test, testPast, testFuture };
    try {
      report(0);
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
      report(1);
      if (withCvae) {
        const cvae = await trainCvae(trainPast, trainFuture, { seed });
        const { values, best, readings: ends } = await samplesOf(cvae, "CVAE", k, data);
        shown.forEach((i, n) =>
          agents[n].samples = Array.from({ length: k }, (_, s) => path(values, i * k + s, FUTURE_STEPS))
        );
        const tests = k === 20;
        readings.push(
          { label: `CVAE: minADE@${k}`, value: best.minAde, ...(tests ? { measure: "CVAE minADE@20" } : {}) },
          { label: `CVAE: minFDE@${k}`, value: best.minFde, ...(tests ? { measure: "CVAE minFDE@20" } : {}) },
          { label: `CVAE minADE@${k} / regressor ADE`, value: best.minAde / regressorScore.minAde },
          ...ends,
        );
        // Many samples for the first panel's agent, counted per grid cell and step.
        const grid = tf.tidy(() => {
          const first = tf.slice(testPast, [shown[0], 0, 0], [1, -1, -1]);
          const many = cvae.sample(first, OCCUPANCY_SAMPLES).reshape([OCCUPANCY_SAMPLES, FUTURE_STEPS, 2]);
          return occupancyGrid(many as tf.Tensor3D, KATA_GRID);
        });
        const steps = (await grid.array()).map((rows) => rows.flat());
        grid.dispose();
        const title = `${OCCUPANCY_SAMPLES} CVAE samples for ${agents[0].title}`;
        occupancy = { name: "occupancy", spec: occupancyFigure({ ...KATA_GRID, steps, title }) };
        report(2);
      }
      if (withBranchSampler) {
        const sampler = await trainBranchSampler(trainPast, trainFuture, { seed });
        readings.push(...(await samplesOf(sampler, "branch sampler", k, data)).readings);
        report(3);
      }
      return { readings, charts: charts() };
    } finally {
      tf.dispose([trainPast, trainFuture, testPast, testFuture]);
    }
  },
};
