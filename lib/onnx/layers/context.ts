/**
 * What a layer converter works with: one call of a tfjs layer (its config, weights, input
 * and output symbolic tensors) bound to the graph being built, with names scoped to the layer.
 *
 * @example Usage
 * ```ts ignore
 * import type { LayerConverter } from "@lib/onnx/layers/context.ts";
 * const relu: LayerConverter = (ctx) => {
 *   const x = ctx.input(0, "any");
 *   ctx.output(ctx.op("Relu", [x.name]), x.layout);
 * };
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type GraphBuilder, type Layout, UnsupportedLayerError, type Value } from "../graph.ts";
import type { AttributeValue } from "../proto.ts";

/** Converts one call of a layer into ONNX nodes. */
export type LayerConverter = (ctx: LayerContext) => void;

/** One call of a layer (a node of the tfjs model graph). */
export interface LayerCall {
  /** The layer. */
  layer: tf.layers.Layer;
  /** Its input symbolic tensors. */
  inputs: tf.SymbolicTensor[];
  /** Its output symbolic tensors. */
  outputs: tf.SymbolicTensor[];
}

/** A weight read from a layer: values row-major and shape. */
export interface Weight {
  /** Values, row-major. */
  values: Float32Array;
  /** Shape. */
  shape: number[];
}

/** The graph as seen by one layer call's converter. */
export class LayerContext {
  /** The layer's serialised config (`layer.getConfig()`). */
  readonly config: Record<string, unknown>;

  /**
   * @param graph The graph being built.
   * @param call The layer call to convert.
   */
  constructor(readonly graph: GraphBuilder, readonly call: LayerCall) {
    this.config = call.layer.getConfig() as Record<string, unknown>;
  }

  /** The layer's name. */
  get name(): string {
    return this.call.layer.name;
  }

  /** The layer's class name, e.g. `"Dense"`. */
  get className(): string {
    return this.call.layer.getClassName();
  }

  /**
   * Throws an {@linkcode UnsupportedLayerError} naming this layer and `option`.
   *
   * @param option The option and its value, e.g. `padding="causal"`.
   * @param hint What is supported instead.
   */
  unsupported(option: string, hint: string): never {
    throw new UnsupportedLayerError(this.className, this.name, hint, option);
  }

  /**
   * Throws unless config `key` is one of `allowed` (compared as JSON).
   *
   * @param key The config key.
   * @param allowed The values the exporter supports.
   */
  require(key: string, ...allowed: unknown[]): void {
    const value = JSON.stringify(this.config[key]);
    if (!allowed.some((a) => JSON.stringify(a) === value)) {
      const supported = allowed.filter((a) => a !== undefined).map((a) => JSON.stringify(a));
      this.unsupported(`${key}=${value}`, `supported: ${supported.join(", ")}`);
    }
  }

  /**
   * The rank of input `i` (batch axis included).
   *
   * @param i Input index.
   * @returns The rank.
   */
  rank(i = 0): number {
    return this.call.inputs[i].shape.length;
  }

  /**
   * The ONNX value holding input `i` in `layout`.
   *
   * @param i Input index.
   * @param layout The layout needed; `"any"` for element-wise work.
   * @returns The value.
   */
  input(i = 0, layout: Layout | "any" = "tf"): Value {
    return this.graph.value(this.call.inputs[i], layout);
  }

  /**
   * Declares that ONNX value `name` holds output `i` of this call, in `layout`.
   *
   * @param name The value.
   * @param layout Its layout.
   * @param i Output index.
   */
  output(name: string, layout: Layout = "tf", i = 0): void {
    this.graph.hold(this.call.outputs[i], name, layout);
  }

  /**
   * Appends a single-output node named after this layer and `opType`.
   *
   * @param opType The ONNX operator.
   * @param inputs Input value names.
   * @param attributes Node attributes (undefined ones are left out).
   * @returns The output value name.
   */
  op(opType: string, inputs: string[], attributes?: Record<string, AttributeValue | undefined>): string {
    return this.graph.node(opType, inputs, { name: `${this.name}/${opType}`, attributes })[0];
  }

  /**
   * Appends a node with several outputs.
   *
   * @param opType The ONNX operator.
   * @param inputs Input value names.
   * @param outputs How many outputs.
   * @param attributes Node attributes.
   * @returns The output value names.
   */
  opMulti(
    opType: string,
    inputs: string[],
    outputs: number,
    attributes?: Record<string, AttributeValue | undefined>,
  ): string[] {
    return this.graph.node(opType, inputs, { name: `${this.name}/${opType}`, outputs, attributes });
  }

  /**
   * A float initializer named after this layer.
   *
   * @param name Short name, e.g. `"kernel"`.
   * @param values Values, row-major.
   * @param dims Shape.
   * @returns The initializer's name.
   */
  floatConstant(name: string, values: Float32Array, dims: number[]): string {
    return this.graph.floatConstant(`${this.name}/${name}`, values, dims);
  }

  /**
   * A float scalar initializer.
   *
   * @param name Short name.
   * @param value The value.
   * @returns The initializer's name.
   */
  scalar(name: string, value: number): string {
    return this.floatConstant(name, new Float32Array([value]), []);
  }

  /**
   * A 1-D int64 initializer named after this layer.
   *
   * @param name Short name, e.g. `"shape"`.
   * @param values Values.
   * @returns The initializer's name.
   */
  int64Constant(name: string, values: (number | bigint)[]): string {
    return this.graph.int64Constant(`${this.name}/${name}`, values);
  }

  /**
   * Reads the layer weight named `<layer>/<short>` (e.g. `"kernel"`), optionally transformed
   * with tfjs ops first (a transpose, a gate reordering).
   *
   * @param short The weight's short name.
   * @param transform Applied to the weight tensor before reading.
   * @returns The values and shape.
   */
  weight(short: string, transform: (w: tf.Tensor) => tf.Tensor = (w) => w): Weight {
    // originalName: tfjs appends _1, _2... to `name` when another model reuses a layer name.
    const found = this.call.layer.weights.filter((w) => w.originalName.split("/").pop() === short);
    if (found.length !== 1) {
      throw new Error(
        `ONNX export: ${this.className} layer "${this.name}" has ${found.length} weights named "${short}"`,
      );
    }
    return tf.tidy(() => {
      const value = transform(found[0].read());
      return { values: new Float32Array(value.dataSync()), shape: value.shape };
    });
  }
}
