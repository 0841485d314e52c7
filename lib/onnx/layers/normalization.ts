/**
 * BatchNormalization in its inference form: ONNX BatchNormalization with tfjs's moving mean and
 * variance, gamma (ones when `scale: false`) and beta (zeros when `center: false`), on the last
 * (channels) axis. Rank 2 runs directly, rank 4 on the NCHW value, other ranks between two
 * transposes that bring the channels to axis 1 and back.
 *
 * @example Usage
 * ```ts ignore
 * import { batchNormalization } from "@lib/onnx/layers/normalization.ts";
 * batchNormalization(ctx);
 * ```
 * @module
 */
import type { LayerConverter } from "./context.ts";

/** `tf.layers.batchNormalization` (inference: moving statistics). */
export const batchNormalization: LayerConverter = (ctx) => {
  const rank = ctx.rank();
  const axis = ctx.config.axis as number;
  if ((axis < 0 ? axis + rank : axis) !== rank - 1) {
    ctx.unsupported(`axis=${axis}`, "only the last (channels) axis, tfjs's default");
  }
  const channels = ctx.call.inputs[0].shape[rank - 1]!;
  const param = (short: string, enabled: unknown, fill: number) =>
    enabled
      ? ctx.floatConstant(short, ctx.weight(short).values, [channels])
      : ctx.floatConstant(short, new Float32Array(channels).fill(fill), [channels]);
  const params = [
    param("gamma", ctx.config.scale, 1),
    param("beta", ctx.config.center, 0),
    param("moving_mean", true, 0),
    param("moving_variance", true, 1),
  ];
  const attributes = { epsilon: { float: ctx.config.epsilon as number } };
  if (rank === 2 || rank === 4) {
    const x = ctx.input(0, rank === 4 ? "nchw" : "tf");
    ctx.output(ctx.op("BatchNormalization", [x.name, ...params], attributes), x.layout);
    return;
  }
  const toFront = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
  const back = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
  const front = ctx.op("Transpose", [ctx.input(0, "tf").name], { perm: toFront });
  const normalised = ctx.op("BatchNormalization", [front, ...params], attributes);
  ctx.output(ctx.op("Transpose", [normalised], { perm: back }));
};
