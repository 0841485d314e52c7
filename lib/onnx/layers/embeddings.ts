/**
 * Embedding as ONNX Gather on the embedding matrix. Float indices (tfjs's default input dtype)
 * are cast to int64 first, as tfjs casts them to int32.
 *
 * @example Usage
 * ```ts ignore
 * import { embedding } from "@lib/onnx/layers/embeddings.ts";
 * embedding(ctx);
 * ```
 * @module
 */
import { DataType } from "../proto.ts";
import type { LayerConverter } from "./context.ts";

/** `tf.layers.embedding` (without `maskZero`: ONNX has no masks to hand to later layers). */
export const embedding: LayerConverter = (ctx) => {
  ctx.require("maskZero", undefined, false);
  const x = ctx.input(0, "tf");
  const indices = ctx.call.inputs[0].dtype === "int32"
    ? x.name
    : ctx.op("Cast", [x.name], { to: DataType.INT64 });
  const table = ctx.weight("embeddings");
  ctx.output(
    ctx.op("Gather", [ctx.floatConstant("embeddings", table.values, table.shape), indices], { axis: 0 }),
  );
};
