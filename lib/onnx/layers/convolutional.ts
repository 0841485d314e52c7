/**
 * Converters for Conv2D and the 2-D pooling layers. tfjs computes them NHWC, ONNX NCHW: the
 * input is taken as NCHW (the graph transposes only where the layout changes) and the output
 * stays NCHW, so chains of conv/BN/pool layers need no transposes in between. `"same"` padding
 * becomes explicit pads computed as TensorFlow does (the odd extra pixel at the end; onnxruntime
 * rejects `auto_pad` SAME with dilation), so it needs known input height and width; average
 * pooling excludes the padding from the count in both.
 *
 * @example Usage
 * ```ts ignore
 * import { conv2d } from "@lib/onnx/layers/convolutional.ts";
 * conv2d(ctx); // Conv (+ activation), output held as NCHW
 * ```
 * @module
 */
import { applyActivation } from "./activations.ts";
import type { LayerContext, LayerConverter } from "./context.ts";
import * as tf from "@tensorflow/tfjs";

function pair(value: unknown): number[] {
  return Array.isArray(value) ? value : [value as number, value as number];
}

/** ONNX `pads` [top, left, bottom, right] for tfjs `padding` over the input's height and width. */
function pads(ctx: LayerContext, kernel: number[], strides: number[], dilations: number[]): number[] {
  ctx.require("dataFormat", "channelsLast");
  ctx.require("padding", "valid", "same");
  if (ctx.config.padding === "valid") return [0, 0, 0, 0];
  const [before, after] = [[] as number[], [] as number[]];
  for (let i = 0; i < 2; i++) {
    const size = ctx.call.inputs[0].shape[i + 1];
    if (size == null) {
      ctx.unsupported('padding="same"', "known input height and width (give the model a full input shape)");
    }
    const total = Math.max(
      (Math.ceil(size / strides[i]) - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size,
      0,
    );
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}

/** `tf.layers.conv2d`: kernel [kh, kw, in, out] → ONNX [out, in, kh, kw]. */
export const conv2d: LayerConverter = (ctx) => {
  const [kernel_shape, strides, dilations] = [
    ctx.config.kernelSize,
    ctx.config.strides,
    ctx.config.dilationRate,
  ].map(pair);
  const x = ctx.input(0, "nchw");
  const kernel = ctx.weight("kernel", (w) => tf.transpose(w, [3, 2, 0, 1]));
  const inputs = [x.name, ctx.floatConstant("kernel", kernel.values, kernel.shape)];
  if (ctx.config.useBias) {
    const bias = ctx.weight("bias");
    inputs.push(ctx.floatConstant("bias", bias.values, bias.shape));
  }
  const y = ctx.op("Conv", inputs, {
    kernel_shape,
    strides,
    dilations,
    pads: pads(ctx, kernel_shape, strides, dilations),
  });
  ctx.output(applyActivation(ctx, String(ctx.config.activation), { name: y, layout: "nchw" }, 4), "nchw");
};

function pooling(opType: string): LayerConverter {
  return (ctx) => {
    const [kernel_shape, strides] = [ctx.config.poolSize, ctx.config.strides].map(pair);
    const x = ctx.input(0, "nchw");
    const y = ctx.op(opType, [x.name], {
      kernel_shape,
      strides,
      pads: pads(ctx, kernel_shape, strides, [1, 1]),
    });
    ctx.output(y, "nchw");
  };
}

/** `tf.layers.maxPooling2d`. */
export const maxPooling2d: LayerConverter = pooling("MaxPool");
/** `tf.layers.averagePooling2d`. */
export const averagePooling2d: LayerConverter = pooling("AveragePool");

function globalPooling(opType: string): LayerConverter {
  return (ctx) => {
    ctx.require("dataFormat", "channelsLast");
    const pooled = ctx.op(opType, [ctx.input(0, "nchw").name]);
    ctx.output(ctx.op("Flatten", [pooled], { axis: 1 }));
  };
}

/** `tf.layers.globalAveragePooling2d`: [N, C, 1, 1] flattened to tfjs's [N, C]. */
export const globalAveragePooling2d: LayerConverter = globalPooling("GlobalAveragePool");
/** `tf.layers.globalMaxPooling2d`. */
export const globalMaxPooling2d: LayerConverter = globalPooling("GlobalMaxPool");
