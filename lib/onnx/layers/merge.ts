/**
 * Merge layers of the functional API: Concatenate, Add, Multiply, Average, Maximum, Minimum.
 * Inputs must have equal shapes (no tfjs-style broadcasting across ranks). They are merged in the
 * layout the first input is held in, so merging NCHW feature maps needs no transposes.
 *
 * @example Usage
 * ```ts ignore
 * import { concatenate } from "@lib/onnx/layers/merge.ts";
 * concatenate(ctx);
 * ```
 * @module
 */
import { onnxAxis } from "./activations.ts";
import type { LayerContext, LayerConverter } from "./context.ts";

function sameShapeInputs(ctx: LayerContext, ignoreAxis?: number) {
  const shapes = ctx.call.inputs.map((t) => t.shape.map((d, i) => (i === ignoreAxis ? "*" : d)));
  if (shapes.some((s) => JSON.stringify(s) !== JSON.stringify(shapes[0]))) {
    ctx.unsupported(
      `input shapes ${ctx.call.inputs.map((t) => JSON.stringify(t.shape)).join(", ")}`,
      "inputs of equal shapes (reshape them first)",
    );
  }
  const layout = ctx.input(0, "any").layout;
  return { layout, names: ctx.call.inputs.map((_, i) => ctx.input(i, layout).name) };
}

/** `tf.layers.concatenate` along `axis` (default -1). */
export const concatenate: LayerConverter = (ctx) => {
  const rank = ctx.rank();
  const axis = ctx.config.axis as number;
  const { layout, names } = sameShapeInputs(ctx, axis < 0 ? axis + rank : axis);
  ctx.output(ctx.op("Concat", names, { axis: onnxAxis(axis, rank, layout) }), layout);
};

function elementwise(opType: string): LayerConverter {
  return (ctx) => {
    const { layout, names } = sameShapeInputs(ctx);
    ctx.output(ctx.op(opType, names), layout);
  };
}

/** `tf.layers.add`. */
export const add: LayerConverter = elementwise("Sum");
/** `tf.layers.average`. */
export const average: LayerConverter = elementwise("Mean");
/** `tf.layers.maximum`. */
export const maximum: LayerConverter = elementwise("Max");
/** `tf.layers.minimum`. */
export const minimum: LayerConverter = elementwise("Min");

/** `tf.layers.multiply`: a chain of binary Mul nodes. */
export const multiply: LayerConverter = (ctx) => {
  const { layout, names } = sameShapeInputs(ctx);
  ctx.output(names.slice(1).reduce((product, name) => ctx.op("Mul", [product, name]), names[0]), layout);
};
