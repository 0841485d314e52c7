/**
 * Converters for tfjs's core layers: Dense, Flatten, Reshape, the inference-time no-ops
 * (Dropout and the noise layers) and Rescaling (preprocessing baked into the model).
 *
 * @example Usage
 * ```ts ignore
 * import { dense } from "@lib/onnx/layers/core.ts";
 * dense(ctx); // MatMul + Add + activation
 * ```
 * @module
 */
import { applyActivation } from "./activations.ts";
import type { LayerConverter } from "./context.ts";
import { DataType } from "../proto.ts";

/** `tf.layers.dense`: MatMul on the last axis (any rank), bias Add, then the activation. */
export const dense: LayerConverter = (ctx) => {
  const x = ctx.input(0, "tf");
  const kernel = ctx.weight("kernel");
  let y = ctx.op("MatMul", [x.name, ctx.floatConstant("kernel", kernel.values, kernel.shape)]);
  if (ctx.config.useBias) {
    const bias = ctx.weight("bias");
    y = ctx.op("Add", [y, ctx.floatConstant("bias", bias.values, bias.shape)]);
  }
  ctx.output(applyActivation(ctx, String(ctx.config.activation), { name: y, layout: "tf" }, ctx.rank()));
};

/**
 * `tf.layers.flatten`: flattens in tfjs (NHWC) order, so a value held as NCHW is transposed back first;
 * flattening the NCHW tensor directly would scramble the features the next Dense expects.
 */
export const flatten: LayerConverter = (ctx) => {
  ctx.require("dataFormat", undefined, "channelsLast");
  ctx.output(ctx.op("Flatten", [ctx.input(0, "tf").name], { axis: 1 }));
};

/** `tf.layers.reshape`: the batch axis is kept (ONNX Reshape's 0), `-1` is inferred as in tfjs. */
export const reshape: LayerConverter = (ctx) => {
  const target = (ctx.config.targetShape as (number | null)[]).map((d) => d ?? -1);
  const shape = ctx.int64Constant("shape", [0, ...target]);
  ctx.output(ctx.op("Reshape", [ctx.input(0, "tf").name, shape]));
};

/** Dropout and the noise layers are the identity at inference: the output is the input's value. */
export const identityAtInference: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  ctx.output(x.name, x.layout);
};

/** `tf.layers.rescaling`: `x * scale + offset`, casting integer inputs to float32 first as tfjs does. */
export const rescaling: LayerConverter = (ctx) => {
  const x = ctx.input(0, "any");
  const float = ctx.call.inputs[0].dtype === "float32"
    ? x.name
    : ctx.op("Cast", [x.name], { to: DataType.FLOAT });
  const scaled = ctx.op("Mul", [float, ctx.scalar("scale", ctx.config.scale as number)]);
  ctx.output(ctx.op("Add", [scaled, ctx.scalar("offset", ctx.config.offset as number)]), x.layout);
};
