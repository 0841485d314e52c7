/**
 * tfjs's Adam, one pass per variable. `tf.AdamOptimizer` updates each variable with a dozen tensor
 * operations (two moments, two bias corrections, a square root, …); on the wasm and cpu backends each of
 * them costs a kernel dispatch, so on the katas' small networks Adam took more time than the forward and
 * backward passes together (a 3 × 32 MLP at batch 64: 2.9 of 4.3 ms per step). {@linkcode FusedAdam}
 * computes the same update in one loop over each variable's values, operation for operation in float32
 * (every intermediate rounded as tfjs rounds it), so its results are bit-identical to `tf.train.adam`'s
 * (`fused_adam_test.ts` checks it). Its state is tfjs's: the same moment variables, `getWeights`,
 * `setWeights`, `dispose`, iteration count and serialisation. On the other backends (WebGPU, WebGL) it is
 * tfjs's own Adam: reading a GPU tensor back would cost more than it saves.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { adam } from "@lib/models/fused_adam.ts";
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const optimizer = adam(0.1);
 * optimizer.minimize(() => w.square().sum() as tf.Scalar);
 * console.log(w.dataSync()); // Float32Array [0.9, -1.9] (Adam's first step moves each weight by the rate)
 * optimizer.dispose();
 * w.dispose();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { keepsTensorsOnHost } from "../backend/host_copy.ts";

/** The parts of `tf.AdamOptimizer` the update reads and writes (public in tfjs's JavaScript). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

const f32 = Math.fround;

/** What `applyGradients` takes: gradients by variable name, or a list of `{ name, tensor }`. */
type Gradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

/**
 * Variables up to this many values are updated in one JavaScript loop; larger ones with tfjs's operations.
 * A tfjs operation costs about 20–30 µs to dispatch and Adam takes thirteen; the loop about 40 ns per value
 * (measured on the 2-core machine, 3 × 128 MLP: 128-value biases and 16,384-value kernels).
 */
const LOOP_LIMIT = 4096;

/** Adam computed in one pass per variable on the wasm and cpu backends, bit-identical to tfjs's. */
export class FusedAdam extends tf.AdamOptimizer {
  /**
   * One Adam step (see the module doc).
   *
   * @example Usage
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { FusedAdam } from "@lib/models/fused_adam.ts";
   * const w = tf.variable(tf.scalar(3));
   * const optimizer = new FusedAdam(0.5, 0.9, 0.999);
   * optimizer.minimize(() => w.mul(2) as tf.Scalar); // the gradient 2 goes to applyGradients
   * console.log(w.dataSync()[0]); // 2.5: Adam's first step moves by the rate
   * ```
   * @param variableGradients Gradients by variable name, or a list of named gradients.
   */
  override applyGradients(variableGradients: Gradients): void {
    if (!keepsTensorsOnHost()) return super.applyGradients(variableGradients);
    const self = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    // The scalars tfjs makes from numbers are float32: round them as it does.
    const beta1 = f32(self.beta1);
    const beta2 = f32(self.beta2);
    const keep1 = f32(1 - self.beta1);
    const keep2 = f32(1 - self.beta2);
    const epsilon = f32(self.epsilon);
    const step = f32(-self.learningRate);
    const accBeta1 = self.accBeta1.dataSync()[0];
    const accBeta2 = self.accBeta2.dataSync()[0];
    const correction1 = f32(1 - accBeta1);
    const correction2 = f32(1 - accBeta2);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeroVariable(value) };
        self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeroVariable(value) };
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i].tensor
          : variableGradients[name];
        if (gradient == null) return;
        const firstMoment = self.accumulatedFirstMoment[i].variable;
        const secondMoment = self.accumulatedSecondMoment[i].variable;
        if (value.size > LOOP_LIMIT) {
          // Large: tfjs's own operations, whose kernels run vectorised (the dispatch is paid once per op).
          const newM = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, keep1));
          const newV = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), keep2));
          const corrected = tf.div(
            tf.div(newM, correction1),
            tf.add(tf.sqrt(tf.div(newV, correction2)), epsilon),
          );
          firstMoment.assign(newM);
          secondMoment.assign(newV);
          value.assign(tf.add(tf.mul(corrected, step), value));
          return;
        }
        const g = gradient.dataSync();
        const m = firstMoment.dataSync();
        const v = secondMoment.dataSync();
        const x = value.dataSync();
        const newM = new Float32Array(x.length);
        const newV = new Float32Array(x.length);
        const newX = new Float32Array(x.length);
        for (let k = 0; k < x.length; k++) {
          // add(mul(m, β1), mul(g, 1 − β1)) and add(mul(v, β2), mul(square(g), 1 − β2)).
          const mk = f32(f32(m[k] * beta1) + f32(g[k] * keep1));
          const vk = f32(f32(v[k] * beta2) + f32(f32(g[k] * g[k]) * keep2));
          newM[k] = mk;
          newV[k] = vk;
          // add(mul(div(m̂, add(sqrt(v̂), ε)), −rate), value), with m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ).
          const denominator = f32(f32(Math.sqrt(f32(vk / correction2))) + epsilon);
          newX[k] = f32(f32(f32(f32(mk / correction1) / denominator) * step) + x[k]);
        }
        firstMoment.assign(tf.tensor(newM, value.shape));
        secondMoment.assign(tf.tensor(newV, value.shape));
        value.assign(tf.tensor(newX, value.shape));
      });
      self.accBeta1.assign(tf.scalar(f32(accBeta1 * beta1)));
      self.accBeta2.assign(tf.scalar(f32(accBeta2 * beta2)));
    });
    self.incrementIterations();
  }
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.zerosLike(like).variable(false));
}

/**
 * `tf.train.adam`'s signature and defaults, as a {@linkcode FusedAdam}.
 *
 * @example Usage
 * ```ts
 * import { adam } from "@lib/models/fused_adam.ts";
 * const optimizer = adam(1e-3);
 * console.log(optimizer.getConfig()); // { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }
 * optimizer.dispose();
 * ```
 * @param learningRate The learning rate (default 0.001, as tfjs).
 * @param beta1 Decay of the first moment estimate (default 0.9).
 * @param beta2 Decay of the second moment estimate (default 0.999).
 * @param epsilon Added to the denominator (default: the backend's epsilon, as tfjs).
 * @returns The optimizer.
 */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdam {
  return new FusedAdam(learningRate, beta1, beta2, epsilon);
}
