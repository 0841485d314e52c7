/**
 * LSTM as the ONNX LSTM operator.
 *
 * - Gate order: tfjs (Keras) stores kernels as [i | f | c | o] blocks, ONNX expects [i, o, f, c].
 * - Weights: ONNX W = kernelᵀ [1, 4u, in], R = recurrent_kernelᵀ [1, 4u, u], B = [bias, zeros(4u)]
 *   (ONNX adds a separate recurrence bias, tfjs has one bias).
 * - Activations: ONNX `activations` = [recurrentActivation, activation, activation]; tfjs's default
 *   recurrent activation is hard sigmoid, ONNX HardSigmoid with alpha 0.2, beta 0.5.
 *   `activation_alpha` / `activation_beta` list values only for the functions that take them, in
 *   order, which is how onnxruntime reads them.
 * - Layout: tfjs is batch-major [N, T, F], ONNX LSTM (layout 0, every opset ≥ 7) time-major
 *   [T, N, F]: transposes on both sides.
 * - `goBackwards` is direction "reverse"; tfjs then returns the sequence in processing order
 *   (last input step first), ONNX in input order, so the sequence output is reversed with Slice.
 * - `returnState` adds the final hidden and cell states as outputs 1 and 2.
 *
 * @example Usage
 * ```ts ignore
 * import { lstm } from "@lib/onnx/layers/recurrent.ts";
 * lstm(ctx);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LayerContext, LayerConverter } from "./context.ts";

interface RnnActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

const RNN_ACTIVATIONS: Record<string, RnnActivation> = {
  tanh: { name: "Tanh" },
  sigmoid: { name: "Sigmoid" },
  hardSigmoid: { name: "HardSigmoid", alpha: 0.2, beta: 0.5 },
  relu: { name: "Relu" },
  linear: { name: "Affine", alpha: 1, beta: 0 },
  elu: { name: "Elu", alpha: 1 },
  softsign: { name: "Softsign" },
  softplus: { name: "Softplus" },
};

function rnnActivation(ctx: LayerContext, key: string): RnnActivation {
  const fn = String(ctx.config[key]);
  return RNN_ACTIVATIONS[fn] ??
    ctx.unsupported(`${key}="${fn}"`, `supported: ${Object.keys(RNN_ACTIVATIONS).join(", ")}`);
}

/** Reorders the [i | f | c | o] column blocks of a [n, 4u] matrix to [i | o | f | c]. */
function reorderGates(w: tf.Tensor): tf.Tensor {
  const [i, f, c, o] = tf.split(w, 4, 1);
  return tf.concat([i, o, f, c], 1);
}

/** A tfjs kernel [n, 4u] as an ONNX weight [1, 4u, n] in ONNX gate order. */
function onnxWeight(w: tf.Tensor): tf.Tensor {
  return tf.expandDims(tf.transpose(reorderGates(w)), 0);
}

/** The tfjs bias [4u] as ONNX B [1, 8u]: input bias in ONNX gate order, then a zero recurrence bias. */
function onnxBias(b: tf.Tensor): tf.Tensor {
  return tf.concat([reorderGates(tf.reshape(b, [1, -1])), tf.zerosLike(tf.reshape(b, [1, -1]))], 1);
}

/** `tf.layers.lstm` (not stateful, no initial state; dropout is inactive at inference). */
export const lstm: LayerConverter = (ctx) => {
  ctx.require("stateful", false);
  if (ctx.call.inputs.length > 1) ctx.unsupported("initialState", "the zero initial state only");
  const units = ctx.config.units as number;
  const [f, g] = [rnnActivation(ctx, "recurrentActivation"), rnnActivation(ctx, "activation")];
  const alphas = [f, g, g].flatMap((a) => a.alpha === undefined ? [] : [a.alpha]);
  const betas = [f, g, g].flatMap((a) => a.beta === undefined ? [] : [a.beta]);

  const kernel = ctx.weight("kernel", onnxWeight);
  const recurrent = ctx.weight("recurrent_kernel", onnxWeight);
  const inputs = [
    ctx.op("Transpose", [ctx.input(0, "tf").name], { perm: [1, 0, 2] }),
    ctx.floatConstant("W", kernel.values, kernel.shape),
    ctx.floatConstant("R", recurrent.values, recurrent.shape),
  ];
  if (ctx.config.useBias) {
    const bias = ctx.weight("bias", onnxBias);
    inputs.push(ctx.floatConstant("B", bias.values, bias.shape));
  }
  const [y, yH, yC] = ctx.opMulti("LSTM", inputs, 3, {
    hidden_size: units,
    direction: ctx.config.goBackwards ? "reverse" : "forward",
    activations: [f.name, g.name, g.name],
    activation_alpha: alphas.length ? { floats: alphas } : undefined,
    activation_beta: betas.length ? { floats: betas } : undefined,
  });
  const squeeze = (name: string, axis: number) =>
    ctx.op("Squeeze", [name, ctx.int64Constant("axes", [axis])]);
  const lastH = ctx.config.returnSequences && !ctx.config.returnState ? "" : squeeze(yH, 0);
  if (ctx.config.returnSequences) {
    let sequence = squeeze(y, 1); // [T, N, u]
    if (ctx.config.goBackwards) {
      const reversed = [ctx.int64Constant("starts", [-1]), ctx.int64Constant("ends", [-(2n ** 63n)])];
      sequence = ctx.op("Slice", [
        sequence,
        ...reversed,
        ctx.int64Constant("axes", [0]),
        ctx.int64Constant("steps", [-1]),
      ]);
    }
    ctx.output(ctx.op("Transpose", [sequence], { perm: [1, 0, 2] }));
  } else {
    ctx.output(lastH);
  }
  if (ctx.config.returnState) {
    ctx.output(lastH, "tf", 1);
    ctx.output(squeeze(yC, 0), "tf", 2);
  }
};
