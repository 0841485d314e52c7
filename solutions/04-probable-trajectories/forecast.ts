/**
 * Reference solution of kata 04: probable trajectories. A deterministic regressor and a
 * conditional VAE share the same tiny recurrent encoder of the past (an Elman RNN written
 * with tf ops: on wasm it trains several times faster than `tf.layers.gru` inside `fit`,
 * and 10 nearly straight points need no gates). Both predict the future relative to the
 * last observed point. The building blocks (encoder, dense layer, training loop) are
 * exported for the challenge's reference (`challenge.ts`).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { adam } from "@lib/models/fused_adam.ts";
import { FUTURE_STEPS, OBSERVED_STEPS } from "@lib/data/trajectories.ts";
import { createRng, type Rng } from "@lib/core/random.ts";
import type { BestOfK, GridSpec, Regressor, TrainOptions, TrajectorySampler } from "./contract.ts";

export { KATA_GRID } from "./contract.ts";
export type { BestOfK, GridSpec, Regressor, TrainOptions, TrajectorySampler } from "./contract.ts";

/** Step 1: (G²)^steps classes, one per cell sequence. */
export function pathClassCount(gridSize: number, futureSteps: number): bigint {
  for (const [name, value] of [["gridSize", gridSize], ["futureSteps", futureSteps]] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${name} must be a positive integer; got ${value}`);
    }
  }
  return BigInt(gridSize) ** BigInt(2 * futureSteps);
}

/** Throws when `past` is not `[n, OBSERVED_STEPS, 2]`. */
export function checkPast(past: tf.Tensor): void {
  if (past.rank !== 3 || past.shape[1] !== OBSERVED_STEPS || past.shape[2] !== 2) {
    throw new Error(`past must have shape [n, ${OBSERVED_STEPS}, 2]; got [${past.shape.join(", ")}]`);
  }
}

/** Throws when `future` is not `[n, FUTURE_STEPS, 2]`. */
export function checkFuture(future: tf.Tensor, n: number): void {
  if (
    future.rank !== 3 || future.shape[0] !== n || future.shape[1] !== FUTURE_STEPS || future.shape[2] !== 2
  ) {
    throw new Error(
      `future must have shape [${n}, ${FUTURE_STEPS}, 2] to match past; got [${future.shape.join(", ")}]`,
    );
  }
}

/** Everything relative to the last observed point: the model then only has to learn speed and turn. */
export function lastPoint(past: tf.Tensor3D): tf.Tensor3D {
  return tf.slice(past, [0, OBSERVED_STEPS - 1, 0], [-1, 1, -1]);
}

/** A variable holding `init()`, whose initial tensor is freed (`tf.variable` keeps its own copy). */
function weight(init: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(init()));
}

/** Weights of a small Elman RNN over the observed points, and its final hidden state. */
export class PastEncoder {
  readonly inputKernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(readonly units: number) {
    this.inputKernel = weight(() => tf.randomNormal([2, units], 0, 1 / Math.sqrt(2)));
    this.recurrentKernel = weight(() => tf.randomNormal([units, units], 0, 1 / Math.sqrt(units)));
    this.bias = weight(() => tf.zeros([units]));
  }

  /** The hidden state after the last observed point, `[n, units]`; `relativePast` is `[n, T, 2]`. */
  encode(relativePast: tf.Tensor3D): tf.Tensor2D {
    const [n, steps] = relativePast.shape;
    // One matmul projects every time step's input; the loop only does the recurrent part.
    const projected = tf.reshape(
      tf.add(tf.matMul(tf.reshape(relativePast, [n * steps, 2]), this.inputKernel), this.bias),
      [n, steps, this.units],
    );
    const inputs = tf.unstack(projected, 1);
    let h = tf.tanh(inputs[0]) as tf.Tensor2D;
    for (let t = 1; t < steps; t++) h = tf.tanh(tf.add(inputs[t], tf.matMul(h, this.recurrentKernel)));
    return h;
  }

  get variables(): tf.Variable[] {
    return [this.inputKernel, this.recurrentKernel, this.bias];
  }
}

/** A fully connected layer `x W + b`, optionally followed by relu. */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(inputs: number, outputs: number, readonly relu = false) {
    this.kernel = weight(() => tf.randomNormal([inputs, outputs], 0, Math.sqrt((relu ? 2 : 1) / inputs)));
    this.bias = weight(() => tf.zeros([outputs]));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    const y = tf.add(tf.matMul(x, this.kernel), this.bias) as tf.Tensor2D;
    return this.relu ? tf.relu(y) : y;
  }

  get variables(): tf.Variable[] {
    return [this.kernel, this.bias];
  }
}

/** Mini-batch indices for one epoch, shuffled by `rng`. */
function batches(n: number, size: number, rng: Rng): number[][] {
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const out: number[][] = [];
  for (let i = 0; i < n; i += size) out.push(order.slice(i, i + size));
  return out;
}

/** Relative past `[n, T, 2]` and relative flattened future `[n, FUTURE_STEPS * 2]`. */
export function relative(past: tf.Tensor3D, future: tf.Tensor3D): { x: tf.Tensor3D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const last = lastPoint(past);
    return {
      x: tf.sub(past, last),
      y: tf.reshape(tf.sub(future, last), [past.shape[0], FUTURE_STEPS * 2]),
    };
  });
}

/** Hidden units of the recurrent encoder of the past. */
export const UNITS = 32;
/** Hidden units of the CVAE's posterior network and decoder. */
const HIDDEN = 128;
/**
 * Size of the CVAE's latent code z. One number is enough to say which way and how sharply an
 * agent turns; with 2 the share of samples per branch varied more between seeds (see README).
 */
const LATENT = 1;
/**
 * Standard deviation of the decoder's Gaussian likelihood: the reconstruction term is
 * `|y - ŷ|² / (2 SIGMA²)`. Smaller leaves holes between the modes of the latent space,
 * larger lets the KL term win and collapse every sample onto the average (see README).
 */
const SIGMA = 0.2;
export const BATCH = 128;
export const LEARNING_RATE = 0.01;
/** 8 epochs of 16 batches: the regressor reaches the conditional mean well within 128 steps. */
const REGRESSOR_EPOCHS = 8;
/** 20 epochs of 16 batches: 320 steps carve the latent space into the three branches. */
const CVAE_EPOCHS = 20;

/**
 * The custom training loop both models share: Adam on `variables`, `epochs` passes over the
 * relative past `x` and future `y` in shuffled mini-batches of {@linkcode BATCH}, minimising
 * `loss(xb, yb)` of each batch. Disposes `x`, `y` and the optimizer when done.
 */
export async function fit(
  x: tf.Tensor3D,
  y: tf.Tensor2D,
  variables: tf.Variable[],
  epochs: number,
  rng: Rng,
  loss: (xb: tf.Tensor3D, yb: tf.Tensor2D) => tf.Scalar,
): Promise<void> {
  const optimizer = adam(LEARNING_RATE);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const batch of batches(x.shape[0], BATCH, rng)) {
      tf.tidy(() => {
        const idx = tf.tensor1d(batch, "int32");
        const xb = tf.gather(x, idx);
        const yb = tf.gather(y, idx);
        optimizer.minimize(() => loss(xb, yb), false, variables);
      });
    }
    await tf.nextFrame();
  }
  tf.dispose([x, y]);
  optimizer.dispose();
}

/** Step 2: RNN encoder → dense head, trained with mean squared error. */
export async function trainRegressor(
  past: tf.Tensor3D,
  future: tf.Tensor3D,
  options: TrainOptions = {},
): Promise<Regressor> {
  checkPast(past);
  checkFuture(future, past.shape[0]);
  const rng = createRng(options.seed ?? 42);
  const encoder = new PastEncoder(UNITS);
  const head = new Dense(UNITS, FUTURE_STEPS * 2);
  const variables = [...encoder.variables, ...head.variables];
  const { x, y } = relative(past, future);
  await fit(
    x,
    y,
    variables,
    REGRESSOR_EPOCHS,
    rng,
    (xb, yb) => tf.losses.meanSquaredError(yb, head.apply(encoder.encode(xb))),
  );
  return {
    predict(input: tf.Tensor3D): tf.Tensor3D {
      checkPast(input);
      return tf.tidy(() => {
        const last = lastPoint(input);
        const out = head.apply(encoder.encode(tf.sub(input, last)));
        return tf.add(tf.reshape(out, [input.shape[0], FUTURE_STEPS, 2]), last);
      });
    },
  };
}

/**
 * Step 4: conditional VAE. Loss per example: |y − ŷ|² / (2·SIGMA²) + KL(N(μ, σ²) ‖ N(0, I)),
 * with z = μ + σ·ε (the reparameterisation trick) so the gradient flows through μ and σ.
 */
export async function trainCvae(
  past: tf.Tensor3D,
  future: tf.Tensor3D,
  options: TrainOptions = {},
): Promise<TrajectorySampler> {
  checkPast(past);
  checkFuture(future, past.shape[0]);
  const rng = createRng(options.seed ?? 42);
  const encoder = new PastEncoder(UNITS);
  const posteriorHidden = new Dense(UNITS + FUTURE_STEPS * 2, HIDDEN, true);
  const posteriorOut = new Dense(HIDDEN, 2 * LATENT);
  const decoderHidden = new Dense(UNITS + LATENT, HIDDEN, true);
  const decoderOut = new Dense(HIDDEN, FUTURE_STEPS * 2);
  const variables = [encoder, posteriorHidden, posteriorOut, decoderHidden, decoderOut].flatMap((l) =>
    l.variables
  );
  const decode = (h: tf.Tensor2D, z: tf.Tensor2D) =>
    decoderOut.apply(decoderHidden.apply(tf.concat([h, z], 1)));
  const { x, y } = relative(past, future);
  const weight = 1 / (2 * SIGMA * SIGMA);
  await fit(x, y, variables, CVAE_EPOCHS, rng, (xb, yb) => {
    // ε is drawn inside the loss but outside the gradient's path: only μ and σ get gradients.
    const eps = tf.randomNormal([xb.shape[0], LATENT]);
    const h = encoder.encode(xb);
    const stats = posteriorOut.apply(posteriorHidden.apply(tf.concat([h, yb], 1)));
    const mu = tf.slice(stats, [0, 0], [-1, LATENT]);
    const logVar = tf.slice(stats, [0, LATENT], [-1, LATENT]);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
    const reconstruction = tf.mul(tf.sum(tf.square(tf.sub(yb, decode(h, z))), 1), weight);
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 1), 0.5);
    return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
  });
  return {
    sample(input: tf.Tensor3D, k: number): tf.Tensor4D {
      checkPast(input);
      if (!Number.isInteger(k) || k <= 0) throw new Error(`k must be a positive number of samples; got ${k}`);
      const n = input.shape[0];
      return tf.tidy(() => {
        const last = lastPoint(input);
        const h = encoder.encode(tf.sub(input, last));
        const hk = tf.reshape(tf.tile(tf.expandDims(h, 1), [1, k, 1]), [n * k, UNITS]) as tf.Tensor2D;
        const z = tf.randomNormal([n * k, LATENT]) as tf.Tensor2D;
        const out = tf.reshape(decode(hk, z), [n, k, FUTURE_STEPS, 2]);
        return tf.add(out, tf.expandDims(last, 1));
      });
    },
  };
}

/** Step 3: best-of-K average and final displacement errors, each minimised on its own. */
export function minAdeFde(samples: tf.Tensor4D, truth: tf.Tensor3D): BestOfK {
  const [n, k, steps, dims] = samples.shape;
  if (samples.rank !== 4 || dims !== 2 || k < 1) {
    throw new Error(`samples must have shape [n, k, steps, 2]; got [${samples.shape.join(", ")}]`);
  }
  if (truth.rank !== 3 || truth.shape[0] !== n || truth.shape[1] !== steps || truth.shape[2] !== 2) {
    throw new Error(
      `truth must have shape [${n}, ${steps}, 2] to match samples [${samples.shape.join(", ")}]; ` +
        `got [${truth.shape.join(", ")}]`,
    );
  }
  return tf.tidy(() => {
    // Distance of every sample to the truth at every step: [n, k, steps].
    const distance = tf.sqrt(tf.sum(tf.square(tf.sub(samples, tf.expandDims(truth, 1))), 3));
    const ade = tf.mean(distance, 2);
    const fde = tf.reshape(tf.slice(distance, [0, 0, steps - 1], [-1, -1, 1]), [n, k]);
    return {
      minAde: tf.mean(tf.min(ade, 1)).dataSync()[0],
      minFde: tf.mean(tf.min(fde, 1)).dataSync()[0],
    };
  });
}

/** Step 5: per step, the share of the samples in each cell; outside points go to the border cell. */
export function occupancyGrid(samples: tf.Tensor3D, grid: GridSpec): tf.Tensor3D {
  const { size, min, max } = grid;
  if (!Number.isInteger(size) || size <= 0 || !(max > min)) {
    throw new Error(`grid must have a positive integer size and max > min; got ${JSON.stringify(grid)}`);
  }
  if (samples.rank !== 3 || samples.shape[2] !== 2 || samples.shape[0] < 1) {
    throw new Error(
      `samples must have shape [k, steps, 2] (one input's k futures); got [${samples.shape.join(", ")}]`,
    );
  }
  const [k, steps] = samples.shape;
  const values = samples.dataSync();
  const cell = (v: number) => Math.min(size - 1, Math.max(0, Math.floor((v - min) / (max - min) * size)));
  const map = new Float32Array(steps * size * size);
  for (let s = 0; s < k; s++) {
    for (let t = 0; t < steps; t++) {
      const o = (s * steps + t) * 2;
      map[(t * size + cell(values[o + 1])) * size + cell(values[o])] += 1 / k;
    }
  }
  return tf.tensor3d(map, [steps, size, size]);
}
