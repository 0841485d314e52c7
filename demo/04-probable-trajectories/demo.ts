/**
 * Kata 04's demo: the reference solution's regressor (mean squared error), CVAE and step 6's
 * branch sampler trained on junction trajectories; their futures for one test agent per branch,
 * best-of-K errors, where the samples end, and the occupancy grid of many CVAE samples.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  BRANCH_PROBABILITIES,
  BRANCHES,
  FUTURE_STEPS,
  generateJunctionTrajectories,
  OBSERVED_STEPS,
  trajectoryTensors,
} from "@lib/data/trajectories.ts";
import { seedEverything } from "@lib/core/random.ts";
import {
  KATA_GRID,
  minAdeFde,
  occupancyGrid,
  pathClassCount,
  trainCvae,
  trainRegressor,
} from "../../solutions/04-probable-trajectories/forecast.ts";
import { trainBranchSampler } from "../../solutions/04-probable-trajectories/challenge.ts";
import type { Demo, DemoContext } from "../demo.ts";
import { drawFigures, type Path, type TrajectoryNumbers } from "./figures.ts";

/** The tests' sizes. */
const TRAIN_SIZE = 2000;
const TEST_SIZE = 200;
/** Samples per test agent for best-of-K and the paths figure. */
const K = 20;
/** Samples for the occupancy grid. */
const OCCUPANCY_SAMPLES = 500;
/** A sample "ends on a branch" when its last point is this close to the branch's (as in the tests). */
const ON_BRANCH = 0.1;

/** The demo. */
export const demo: Demo = async (context) => {
  const { table, numbers } = await measure(context);
  return { table, figures: await drawFigures(numbers) };
};

/** The smallest range, on a 0.1 grid, that holds every point of `agents` on both axes. */
function square(agents: { past: Path; truth: Path; branches: Path[]; regressor: Path; samples: Path[] }[]) {
  const points = agents.flatMap((a) => [a.past, a.truth, ...a.branches, a.regressor, ...a.samples].flat());
  const values = points.flat();
  return [Math.floor(10 * Math.min(...values)) / 10, Math.ceil(10 * Math.max(...values)) / 10] as [
    number,
    number,
  ];
}

/** Points `[x, y]` of path `index` in a flat array of paths of `steps` points. */
function path(values: ArrayLike<number>, index: number, steps: number): Path {
  return Array.from(
    { length: steps },
    (_, t) => [values[(index * steps + t) * 2], values[(index * steps + t) * 2 + 1]],
  );
}

/**
 * Trains both models and measures what the figures and the table show.
 *
 * @param context Seed and progress.
 * @returns The table rows and the figures' numbers.
 */
export async function measure(
  { seed, progress }: DemoContext,
): Promise<{ table: Record<string, string | number>[]; numbers: TrajectoryNumbers }> {
  seedEverything(seed);
  const train = generateJunctionTrajectories({ count: TRAIN_SIZE, seed });
  const test = generateJunctionTrajectories({ count: TEST_SIZE, seed: seed + 1 });
  const { past: trainPast, future: trainFuture } = trajectoryTensors(train);
  const { past: testPast, future: testFuture } = trajectoryTensors(test);

  progress.start("models (regressor, CVAE, branch sampler)", 3);
  const regressor = await trainRegressor(trainPast, trainFuture, { seed });
  progress.update(1);
  const cvae = await trainCvae(trainPast, trainFuture, { seed });
  progress.update(2);
  const branchSampler = await trainBranchSampler(trainPast, trainFuture, { seed });
  progress.update(3);
  progress.stop();

  const predicted = regressor.predict(testPast);
  const samples = cvae.sample(testPast, K);
  const single = tf.expandDims(predicted, 1) as tf.Tensor4D;
  const regressorScore = minAdeFde(single, testFuture);
  const cvaeScore = minAdeFde(samples, testFuture);
  const predictedValues = predicted.dataSync();
  const sampleValues = samples.dataSync();
  const branchSamples = branchSampler.sample(testPast, K);

  /** Where each sample ends: the share on each branch whose noise-free end is nearest, if within ON_BRANCH. */
  const endsOf = (values: ArrayLike<number>) => {
    const ends = [0, 0, 0, 0]; // left, straight, right, none
    for (let i = 0; i < TEST_SIZE; i++) {
      for (let s = 0; s < K; s++) {
        const [x, y] = path(values, i * K + s, FUTURE_STEPS).at(-1)!;
        const distances = BRANCHES.map((_, b) => {
          const [bx, by] = path(test.branchFutures, i * BRANCHES.length + b, FUTURE_STEPS).at(-1)!;
          return Math.hypot(x - bx, y - by);
        });
        const nearest = distances.indexOf(Math.min(...distances));
        ends[distances[nearest] < ON_BRANCH ? nearest : 3] += 1 / (TEST_SIZE * K);
      }
    }
    return ends;
  };
  const ends = endsOf(sampleValues);
  const branchEnds = endsOf(branchSamples.dataSync());

  // The first test agent of each branch: no picking.
  const shown = BRANCHES.map((_, b) => Array.from(test.branch).indexOf(b));
  const agents = shown.map((i, n) => ({
    title: `test agent ${i} (${BRANCHES[n] === "straight" ? "went straight" : `turned ${BRANCHES[n]}`})`,
    past: path(test.past, i, OBSERVED_STEPS),
    truth: path(test.future, i, FUTURE_STEPS),
    branches: BRANCHES.map((_, b) => path(test.branchFutures, i * BRANCHES.length + b, FUTURE_STEPS)),
    regressor: path(predictedValues, i, FUTURE_STEPS),
    samples: Array.from({ length: K }, (_, s) => path(sampleValues, i * K + s, FUTURE_STEPS)),
  }));

  const first = tf.slice(testPast, [shown[0], 0, 0], [1, -1, -1]);
  const many = cvae.sample(first, OCCUPANCY_SAMPLES);
  const flat = tf.reshape(many, [OCCUPANCY_SAMPLES, FUTURE_STEPS, 2]) as tf.Tensor3D;
  const grid = occupancyGrid(flat, KATA_GRID);
  const gridValues = grid.arraySync();
  tf.dispose([
    trainPast,
    trainFuture,
    testPast,
    testFuture,
    predicted,
    samples,
    branchSamples,
    single,
    first,
    many,
    flat,
    grid,
  ]);

  const percent = (share: number) => `${(100 * share).toFixed(0)} %`;
  const table = [
    {
      measurement: "classes of a softmax over 16×16-cell paths",
      value: pathClassCount(16, FUTURE_STEPS).toLocaleString("en-US"),
    },
    {
      measurement: "regressor: minADE / minFDE (K = 1)",
      value: `${regressorScore.minAde.toFixed(3)} / ${regressorScore.minFde.toFixed(3)}`,
    },
    {
      measurement: `CVAE: minADE / minFDE (K = ${K})`,
      value: `${cvaeScore.minAde.toFixed(3)} / ${cvaeScore.minFde.toFixed(3)}`,
    },
    {
      measurement: `CVAE samples ending on left / straight / right (data: ${
        BRANCH_PROBABILITIES.map(percent).join(" / ")
      })`,
      value: ends.slice(0, 3).map(percent).join(" / "),
    },
    { measurement: `CVAE samples ending on no branch (> ${ON_BRANCH} away)`, value: percent(ends[3]) },
    {
      measurement: "branch sampler (step 6's reference) samples ending on left / straight / right",
      value: branchEnds.slice(0, 3).map(percent).join(" / "),
    },
    {
      measurement: `branch sampler samples ending on no branch (> ${ON_BRANCH} away)`,
      value: percent(branchEnds[3]),
    },
  ];
  return {
    table,
    numbers: {
      agents,
      occupancy: {
        size: KATA_GRID.size,
        min: KATA_GRID.min,
        max: KATA_GRID.max,
        steps: gridValues.map((rows) => rows.flat()),
        title: `${OCCUPANCY_SAMPLES} CVAE samples for ${agents[0].title}`,
      },
      setup:
        `${TRAIN_SIZE} training trajectories of 10 observed + 6 future points; the junction is at y = 0; ` +
        `${K} CVAE samples per agent; seed ${seed}`,
      bounds: square(agents),
    },
  };
}
