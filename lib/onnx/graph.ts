/**
 * The ONNX graph under construction while a tfjs model is exported: nodes, initializers,
 * unique names, and the ONNX value that holds each tfjs symbolic tensor.
 *
 * tfjs images are NHWC, ONNX convolutions are NCHW. A symbolic tensor can therefore be held
 * in two layouts: `"tf"` (exactly the tfjs tensor) and `"nchw"` (a rank-4 tfjs tensor with its
 * channels moved to axis 1). Converters ask for the layout they need and the graph inserts (and
 * reuses) a Transpose, so consecutive convolutions, poolings and batch normalisations stay NCHW
 * and only the edges transpose.
 *
 * @example Usage
 * ```ts
 * import { GraphBuilder } from "@lib/onnx/graph.ts";
 * const graph = new GraphBuilder();
 * const [y] = graph.node("Relu", ["x"], { name: "relu" });
 * console.log(y, graph.nodes.length); // "relu" 1
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import {
  attribute,
  type AttributeValue,
  floatTensor,
  int64Tensor,
  type NodeProto,
  type TensorProto,
} from "./proto.ts";

/** How a symbolic tensor is laid out in ONNX: as in tfjs, or (rank 4 only) channels-first. */
export type Layout = "tf" | "nchw";

/** An ONNX value name with its layout. */
export interface Value {
  /** The ONNX value name. */
  name: string;
  /** Its layout. */
  layout: Layout;
}

/** Permutation taking a tfjs NHWC tensor to NCHW. */
export const NHWC_TO_NCHW: readonly number[] = [0, 3, 1, 2];
/** Permutation taking an NCHW tensor back to tfjs NHWC. */
export const NCHW_TO_NHWC: readonly number[] = [0, 2, 3, 1];

/**
 * Thrown when a model uses a layer, or a layer option, the exporter cannot translate
 * faithfully. Names the layer class, the layer name and (for an option) the option.
 *
 * @example Usage
 * ```ts
 * import { UnsupportedLayerError } from "@lib/onnx/graph.ts";
 * const error = new UnsupportedLayerError("Conv2D", "conv1", "supported: valid, same", 'padding="causal"');
 * console.log(error.message);
 * ```
 */
export class UnsupportedLayerError extends Error {
  /**
   * @param layerClass The tfjs layer class, e.g. `"Conv2D"`.
   * @param layerName The layer's name in the model.
   * @param hint What the exporter supports instead.
   * @param option The unsupported option and its value, e.g. `padding="causal"`; omitted when the
   *   layer class itself is unsupported.
   */
  constructor(
    readonly layerClass: string,
    readonly layerName: string,
    hint: string,
    readonly option?: string,
  ) {
    super(
      option === undefined
        ? `ONNX export does not support ${layerClass} layers (layer "${layerName}"); ${hint}`
        : `ONNX export does not support ${layerClass} layer "${layerName}" with ${option}; ${hint}`,
    );
    this.name = "UnsupportedLayerError";
  }
}

interface Held {
  tf?: string;
  nchw?: string;
  produced: Layout;
}

/**
 * Collects the nodes and initializers of one ONNX graph and maps tfjs symbolic tensors to
 * ONNX values (in either layout).
 */
export class GraphBuilder {
  /** Nodes in topological order. */
  readonly nodes: NodeProto[] = [];
  /** Initializers (weights and constants). */
  readonly initializers: TensorProto[] = [];
  readonly #taken = new Set<string>();
  readonly #held = new Map<number, Held>();

  /**
   * Reserves `name` exactly (graph inputs and outputs); throws if it is taken.
   *
   * @param name The name.
   */
  reserve(name: string): void {
    if (this.#taken.has(name)) throw new Error(`ONNX export: the value name "${name}" is used twice`);
    this.#taken.add(name);
  }

  /**
   * A fresh value name: `base`, or `base_1`, `base_2`, ... if taken.
   *
   * @param base The preferred name.
   * @returns The reserved name.
   */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.#taken.has(name); i++) name = `${base}_${i}`;
    this.#taken.add(name);
    return name;
  }

  /**
   * Appends a node. Its outputs get fresh names derived from `name` (one output unless
   * `outputs` says how many); the node is named after its first output.
   *
   * @param opType The ONNX operator, e.g. `"Conv"`.
   * @param inputs Input value names (`""` for an omitted optional input).
   * @param options `name`: base name for the outputs; `outputs`: how many; `attributes`.
   * @returns The output value names.
   */
  node(
    opType: string,
    inputs: string[],
    options: { name: string; outputs?: number; attributes?: Record<string, AttributeValue | undefined> },
  ): string[] {
    const count = options.outputs ?? 1;
    const output = Array.from(
      { length: count },
      (_, i) => this.unique(i === 0 ? options.name : `${options.name}_out${i}`),
    );
    const attribute_ = Object.entries(options.attributes ?? {})
      .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined)
      .map(([key, value]) => attribute(key, value));
    this.nodes.push({ opType, input: inputs, output, name: output[0], attribute: attribute_ });
    return output;
  }

  /**
   * Adds a float initializer under a fresh name.
   *
   * @param name Preferred name.
   * @param values Values, row-major.
   * @param dims Shape.
   * @returns The initializer's name.
   */
  floatConstant(name: string, values: Float32Array, dims: number[]): string {
    const unique = this.unique(name);
    this.initializers.push(floatTensor(unique, values, dims));
    return unique;
  }

  /**
   * Adds a 1-D int64 initializer (shape, axes, bounds) under a fresh name.
   *
   * @param name Preferred name.
   * @param values Values.
   * @returns The initializer's name.
   */
  int64Constant(name: string, values: (number | bigint)[]): string {
    const unique = this.unique(name);
    this.initializers.push(int64Tensor(unique, values, [values.length]));
    return unique;
  }

  /**
   * Records that the ONNX value `name` holds symbolic tensor `t` in `layout`.
   *
   * @param t The tfjs symbolic tensor.
   * @param name The ONNX value.
   * @param layout Its layout.
   */
  hold(t: tf.SymbolicTensor, name: string, layout: Layout): void {
    if (layout === "nchw" && t.shape.length !== 4) {
      throw new Error(
        `ONNX export: only rank-4 tensors can be held as NCHW, "${t.name}" has rank ${t.shape.length}`,
      );
    }
    const held = this.#held.get(t.id) ?? { produced: layout };
    held[layout] = name;
    this.#held.set(t.id, held);
  }

  /**
   * The ONNX value holding `t` in `layout` (`"any"`: the layout it was produced in),
   * inserting a Transpose the first time another layout is asked for.
   *
   * @param t The tfjs symbolic tensor.
   * @param layout The layout wanted.
   * @returns The value.
   */
  value(t: tf.SymbolicTensor, layout: Layout | "any"): Value {
    const held = this.#held.get(t.id);
    if (!held) {
      throw new Error(`ONNX export: "${t.name}" is used before the layer producing it was converted`);
    }
    const wanted = layout === "any" ? held.produced : layout;
    const existing = held[wanted];
    if (existing) return { name: existing, layout: wanted };
    if (t.shape.length !== 4) {
      throw new Error(`ONNX export: "${t.name}" (rank ${t.shape.length}) cannot be transposed to ${wanted}`);
    }
    const source = held[held.produced]!;
    const perm = wanted === "nchw" ? NHWC_TO_NCHW : NCHW_TO_NHWC;
    const [name] = this.node("Transpose", [source], {
      name: `${source}/to_${wanted}`,
      attributes: { perm: [...perm] },
    });
    held[wanted] = name;
    return { name, layout: wanted };
  }

  /**
   * Renames a value everywhere (node inputs and outputs).
   *
   * @param from The current name.
   * @param to The new name (must be reserved already).
   */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      node.input = node.input!.map((n) => n === from ? to : n);
      node.output = node.output!.map((n) => n === from ? to : n);
    }
  }

  /**
   * Whether a node of the graph produces `name` (as opposed to a graph input or initializer).
   *
   * @param name The value name.
   * @returns `true` when a node outputs it.
   */
  isNodeOutput(name: string): boolean {
    return this.nodes.some((node) => node.output!.includes(name));
  }
}
