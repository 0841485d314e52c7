/**
 * Reference solution of kata 04's challenge: make the choice of branch explicit. The CVAE of step
 * 4 hides it in a continuous latent z, and the prior's mass between the regions the posterior uses
 * for the branches decodes to half-turns. Here instead:
 *
 * 1. **Find the branches in the data.** k-means with 3 clusters on the *shapes* of the training
 *    futures (each relative future scaled to length 1, so a fast and a slow agent on one branch
 *    look alike), started from the three shapes farthest apart. Each cluster's share of the
 *    training set is its probability.
 * 2. **Learn each branch's path given the past.** The recurrent encoder of steps 2 and 4 with one
 *    dense head of 3 × 12 numbers, a path per cluster, trained with mean squared error on the
 *    head of each example's own cluster: a regressor per branch, so no averaging across branches.
 * 3. **Sample.** Draw a cluster by its share, take its path for the past, and add the residual of
 *    a random training future of that cluster (the jitter of a real turn, with its shape).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { FUTURE_STEPS } from "@lib/data/trajectories.ts";
import { createRng, type Rng } from "@lib/core/random.ts";
import type { TrainOptions, TrajectorySampler } from "./contract.ts";
import { checkFuture, checkPast, Dense, fit, lastPoint, PastEncoder, relative, UNITS } from "./forecast.ts";

/** Clusters: one per branch the data shows. */
const CLUSTERS = 3;
/** Numbers per flattened future. */
const PATH = FUTURE_STEPS * 2;
/** 10 epochs of 16 batches of 128: 160 steps (each head is a plain regression). */
const EPOCHS = 10;
/** Lloyd iterations of k-means. */
const KMEANS_ITERATIONS = 20;

const squaredDistance = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + (v - b[i]) ** 2, 0);

/**
 * k-means of `rows` into `count` clusters, started from farthest-point picks (a random first row,
 * then each time the row farthest from those taken). Returns each row's cluster.
 */
function kMeans(rows: number[][], count: number, rng: Rng): number[] {
  const first = rng.int(rows.length);
  const centres = [rows[first]];
  const nearest = rows.map((row) => squaredDistance(row, centres[0]));
  while (centres.length < count) {
    const next = rows[nearest.indexOf(Math.max(...nearest))];
    centres.push(next);
    rows.forEach((row, i) => nearest[i] = Math.min(nearest[i], squaredDistance(row, next)));
  }
  let cluster: number[] = [];
  for (let iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
    cluster = rows.map((row) => {
      const d = centres.map((c) => squaredDistance(row, c));
      return d.indexOf(Math.min(...d));
    });
    centres.forEach((centre, c) => {
      const members = rows.filter((_, i) => cluster[i] === c);
      if (members.length) {
        centres[c] = centre.map((_, d) => members.reduce((s, m) => s + m[d], 0) / members.length);
      }
    });
  }
  return cluster;
}

/**
 * The challenge: a sampler of futures that puts its samples on the branches, in the data's shares.
 * Here: cluster the training futures by shape, regress each cluster's path from the past, and sample a
 * cluster by its share.
 */
export async function trainBranchSampler(
  past: tf.Tensor3D,
  future: tf.Tensor3D,
  options: TrainOptions = {},
): Promise<TrajectorySampler> {
  checkPast(past);
  checkFuture(future, past.shape[0]);
  const n = past.shape[0];
  const rng = createRng(options.seed ?? 42);
  const { x, y } = relative(past, future);
  const futures = await y.array();
  const cluster = kMeans(
    futures.map((row) => row.map((v) => v / (Math.hypot(...row) || 1))),
    CLUSTERS,
    rng,
  );
  const shares = Array.from({ length: CLUSTERS }, (_, c) => cluster.filter((k) => k === c).length / n);
  // Each example's future followed by the one-hot of its cluster, so that the batches carry both.
  const labelled = tf.tidy(() =>
    tf.concat([y, tf.oneHot(tf.tensor1d(cluster, "int32"), CLUSTERS)], 1)
  ) as tf.Tensor2D;
  y.dispose();
  const encoder = new PastEncoder(UNITS);
  const head = new Dense(UNITS, CLUSTERS * PATH);
  const paths = (relativePast: tf.Tensor3D) =>
    tf.reshape(head.apply(encoder.encode(relativePast)), [relativePast.shape[0], CLUSTERS, PATH]);
  /** Each example's path under its own cluster's head, `[b, PATH]`. */
  const ownPath = (xb: tf.Tensor3D, mask: tf.Tensor2D) =>
    tf.sum(tf.mul(paths(xb), tf.expandDims(mask, 2)), 1);
  const split = (yb: tf.Tensor2D) => ({
    target: tf.slice(yb, [0, 0], [-1, PATH]) as tf.Tensor2D,
    mask: tf.slice(yb, [0, PATH], [-1, CLUSTERS]) as tf.Tensor2D,
  });
  // fit disposes x and `labelled`; keep copies to measure the residuals afterwards.
  const [xAll, labelledAll] = [x.clone(), labelled.clone()] as const;
  await fit(x, labelled, [...encoder.variables, ...head.variables], EPOCHS, rng, (xb, yb) => {
    const { target, mask } = split(yb);
    return tf.losses.meanSquaredError(target, ownPath(xb, mask));
  });
  // The residual of every training future from its cluster's path: the noise a sample borrows.
  const residuals = tf.tidy(() => {
    const { target, mask } = split(labelledAll);
    return tf.sub(target, ownPath(xAll, mask));
  });
  tf.dispose([xAll, labelledAll]);
  const members = Array.from({ length: CLUSTERS }, (_, c) => cluster.flatMap((k, i) => k === c ? [i] : []));
  /** A cluster drawn by its share (from `Math.random`, which the caller may seed). */
  const drawCluster = () => {
    let [c, u] = [0, Math.random()];
    while (c < CLUSTERS - 1 && u >= shares[c]) u -= shares[c++];
    return c;
  };
  return {
    sample(input: tf.Tensor3D, k: number): tf.Tensor4D {
      checkPast(input);
      if (!Number.isInteger(k) || k <= 0) throw new Error(`k must be a positive number of samples; got ${k}`);
      const count = input.shape[0];
      // Per sample: a cluster drawn by its share, its path for the past, and the residual of a
      // random training future of that cluster (so the noise is shaped like a real turn's jitter).
      const rows: number[] = [];
      const noise: number[] = [];
      for (let i = 0; i < count * k; i++) {
        const c = drawCluster();
        rows.push(Math.floor(i / k) * CLUSTERS + c);
        noise.push(members[c][Math.floor(Math.random() * members[c].length)]);
      }
      return tf.tidy(() => {
        const last = lastPoint(input);
        const all = tf.reshape(paths(tf.sub(input, last)), [count * CLUSTERS, PATH]);
        const out = tf.add(tf.gather(all, rows), tf.gather(residuals, noise));
        return tf.add(tf.reshape(out, [count, k, FUTURE_STEPS, 2]), tf.expandDims(last, 1)) as tf.Tensor4D;
      });
    },
  };
}
