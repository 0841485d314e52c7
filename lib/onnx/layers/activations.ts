/**
 * tfjs activation functions as ONNX nodes (used by Dense, Conv2D and the Activation layer),
 * and the advanced-activation layers (ReLU, LeakyReLU, ELU, ThresholdedReLU, PReLU, Softmax).
 *
 * Direct ONNX operators: relu, sigmoid, tanh, softplus, softsign, selu (ONNX's default
 * constants are tfjs's), elu (alpha 1), hardSigmoid (tfjs: clip(0.2x + 0.5, 0, 1) = ONNX
 * HardSigmoid alpha 0.2, beta 0.5), softmax / logSoftmax (on the last tfjs axis). Composed
 * from primitives: relu6, swish, mish, gelu (erf form), gelu_new (tanh form).
 *
 * @example Usage
 * ```ts ignore
 * import { applyActivation } from "@lib/onnx/layers/activations.ts";
 * // inside a converter: y = relu(x)
 * const y = applyActivation(ctx, "relu", ctx.input(0, "any"), ctx.rank());
 * ```
 * @module
 */
import { type Layout, NHWC_TO_NCHW, type Value } from "../graph.ts";
import type { LayerContext, LayerConverter } from "./context.ts";

const DIRECT: Record<string, string> = {
  relu: "Relu",
  sigmoid: "Sigmoid",
  tanh: "Tanh",
  softplus: "Softplus",
  softsign: "Softsign",
  selu: "Selu",
};

/** The tfjs activation names the exporter translates. */
export const SUPPORTED_ACTIVATIONS: readonly string[] = [
  "linear",
  ...Object.keys(DIRECT),
  "elu",
  "hardSigmoid",
  "softmax",
  "logSoftmax",
  "relu6",
  "swish",
  "mish",
  "gelu",
  "gelu_new",
];

/**
 * The ONNX axis of tfjs axis `axis` (negative counts from the end) for a value of `rank` held in `layout`.
 *
 * @example Usage
 * ```ts
 * import { onnxAxis } from "@lib/onnx/layers/activations.ts";
 * console.log(onnxAxis(-1, 4, "nchw")); // 1: the channels
 * ```
 * @param axis The tfjs axis.
 * @param rank The tensor's rank.
 * @param layout How the value is held.
 * @returns The axis in the ONNX value.
 */
export function onnxAxis(axis: number, rank: number, layout: Layout): number {
  const positive = axis < 0 ? axis + rank : axis;
  return layout === "nchw" ? NHWC_TO_NCHW.indexOf(positive) : positive;
}

/**
 * Appends the nodes computing tfjs activation `fn` on `x` and returns the result's name
 * (`x` itself for `linear`). The result has `x`'s layout.
 *
 * @param ctx The layer being converted (for names and errors).
 * @param fn The tfjs activation name, e.g. `"relu"`.
 * @param x The input value.
 * @param rank The tfjs rank of `x` (for softmax's axis).
 * @returns The output value name.
 */
export function applyActivation(ctx: LayerContext, fn: string, x: Value, rank: number): string {
  const v = x.name;
  if (fn in DIRECT) return ctx.op(DIRECT[fn], [v]);
  switch (fn) {
    case "linear":
      return v;
    case "elu":
      return ctx.op("Elu", [v], { alpha: { float: 1 } });
    case "hardSigmoid":
      return ctx.op("HardSigmoid", [v], { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case "softmax":
      return ctx.op("Softmax", [v], { axis: onnxAxis(-1, rank, x.layout) });
    case "logSoftmax":
      return ctx.op("LogSoftmax", [v], { axis: onnxAxis(-1, rank, x.layout) });
    case "relu6":
      return ctx.op("Clip", [v, ctx.scalar("zero", 0), ctx.scalar("six", 6)]);
    case "swish":
      return ctx.op("Mul", [v, ctx.op("Sigmoid", [v])]);
    case "mish":
      return ctx.op("Mul", [v, ctx.op("Tanh", [ctx.op("Softplus", [v])])]);
    case "gelu": {
      // x * 0.5 * (1 + erf(x / sqrt(2)))
      const erf = ctx.op("Erf", [ctx.op("Div", [v, ctx.scalar("sqrt2", Math.SQRT2)])]);
      const cdf = ctx.op("Mul", [ctx.op("Add", [erf, ctx.scalar("one", 1)]), ctx.scalar("half", 0.5)]);
      return ctx.op("Mul", [v, cdf]);
    }
    case "gelu_new": {
      // 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))
      const cube = ctx.op("Mul", [ctx.op("Mul", [v, v]), v]);
      const inner = ctx.op("Add", [v, ctx.op("Mul", [cube, ctx.scalar("c", 0.044715)])]);
      const t = ctx.op("Tanh", [
        ctx.op("Mul", [inner, ctx.scalar("sqrt_2_over_pi", Math.sqrt(2 / Math.PI))]),
      ]);
      return ctx.op("Mul", [
        ctx.op("Mul", [v, ctx.scalar("half", 0.5)]),
        ctx.op("Add", [t, ctx.scalar("one", 1)]),
      ]);
    }
    default:
      return ctx.unsupported(`activation="${fn}"`, `supported: ${SUPPORTED_ACTIVATIONS.join(", ")}`);
  }
}

/** `tf.layers.activation`: the activation alone, in whatever layout its input is held. */
export const activationLayer: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  ctx.output(applyActivation(ctx, String(ctx.config.activation), x, ctx.rank()), x.layout);
};

/** `tf.layers.reLU` (optionally capped at `maxValue`). */
export const reluLayer: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  const max = ctx.config.maxValue as number | null | undefined;
  const y = max == null
    ? ctx.op("Relu", [x.name])
    : ctx.op("Clip", [x.name, ctx.scalar("zero", 0), ctx.scalar("max", max)]);
  ctx.output(y, x.layout);
};

/** `tf.layers.leakyReLU`. */
export const leakyReluLayer: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  ctx.output(ctx.op("LeakyRelu", [x.name], { alpha: { float: ctx.config.alpha as number } }), x.layout);
};

/** `tf.layers.elu` (tfjs only supports alpha 1). */
export const eluLayer: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  ctx.output(ctx.op("Elu", [x.name], { alpha: { float: ctx.config.alpha as number } }), x.layout);
};

/** `tf.layers.thresholdedReLU`: x where x > theta, else 0. */
export const thresholdedReluLayer: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  ctx.output(ctx.op("ThresholdedRelu", [x.name], { alpha: { float: ctx.config.theta as number } }), x.layout);
};

/** `tf.layers.prelu`: the learned slope broadcasts over the tfjs layout. */
export const preluLayer: LayerConverter = (ctx) => {
  const x = ctx.input(0, "tf");
  const alpha = ctx.weight("alpha");
  ctx.output(ctx.op("PRelu", [x.name, ctx.floatConstant("alpha", alpha.values, alpha.shape)]));
};

/** `tf.layers.softmax` on one axis (tfjs's default axis is 1). */
export const softmaxLayer: LayerConverter = (ctx) => {
  const axis = ctx.config.axis as number | number[];
  const single = Array.isArray(axis)
    ? (axis.length === 1 ? axis[0] : ctx.unsupported(`axis=${JSON.stringify(axis)}`, "a single axis"))
    : axis;
  const x = ctx.input(0, "any");
  ctx.output(ctx.op("Softmax", [x.name], { axis: onnxAxis(single, ctx.rank(), x.layout) }), x.layout);
};
