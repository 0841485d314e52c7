/**
 * Runs ONNX models with onnxruntime-web's WebAssembly backend, checking every feed against the
 * model's declared inputs first so a wrong name, dtype or shape fails with a message saying which
 * input, what it expects and what it got (instead of an opaque runtime error, or a silently
 * broadcast result).
 *
 * How onnxruntime-web is loaded in Deno: Deno resolves the `onnxruntime-web` npm package with the
 * `node` export condition, i.e. `dist/ort.node.min.mjs`, which locates and reads its
 * `ort-wasm-simd-threaded.wasm` next to itself from `node_modules`; no `ort.env.wasm.wasmPaths` is
 * needed. This module sets `ort.env.wasm.numThreads = 1` (no worker threads: deterministic, nothing
 * left running when a test ends) and `ort.env.logLevel = "error"`, once, before the first session.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { exportOnnx } from "@lib/onnx/export.ts";
 * import { OnnxModel } from "@lib/onnx/runtime.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * const onnx = await OnnxModel.load(exportOnnx(model));
 * const out = await onnx.run({ [onnx.inputNames[0]]: { data: new Float32Array(6), dims: [2, 3] } });
 * console.log(out[onnx.outputNames[0]].dims); // [2, 2]
 * await onnx.release();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-web";

ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

/** Typed arrays accepted as feeds. */
export type FeedData = Float32Array | Int32Array | BigInt64Array;

/** One input: values row-major and dimensions. */
export interface Feed {
  /** The values, row-major. */
  data: FeedData;
  /** The dimensions. */
  dims: number[];
}

/** One output: values (as float32) and dimensions. */
export interface Fetched {
  /** The values, row-major. */
  data: Float32Array;
  /** The dimensions. */
  dims: number[];
}

/** A declared model input or output. */
export interface TensorSpec {
  /** Its name. */
  name: string;
  /** Its element type, e.g. `"float32"`. */
  type: string;
  /** Its dimensions: sizes, or names for symbolic ones (e.g. `"batch"`). */
  shape: (number | string)[];
}

const TYPE_OF: [new (n: number) => FeedData, string][] = [
  [Float32Array, "float32"],
  [Int32Array, "int32"],
  [BigInt64Array, "int64"],
];

function typeOf(data: FeedData): string {
  return TYPE_OF.find(([ctor]) => data instanceof ctor)?.[1] ?? data.constructor.name;
}

function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(", ")}]`;
}

function spec(meta: ort.InferenceSession.ValueMetadata): TensorSpec {
  if (!meta.isTensor) {
    throw new Error(
      `ONNX model: "${meta.name}" is not a tensor; only tensor inputs and outputs are supported`,
    );
  }
  return { name: meta.name, type: meta.type, shape: [...meta.shape] };
}

/** An ONNX model loaded into onnxruntime-web (wasm). */
export class OnnxModel {
  /** The model's input names, in order. */
  readonly inputNames: string[];
  /** The model's output names, in order. */
  readonly outputNames: string[];
  /** The declared inputs (name, element type, shape with symbolic dimensions). */
  readonly inputs: TensorSpec[];
  /** The declared outputs. */
  readonly outputs: TensorSpec[];
  readonly #session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession) {
    this.#session = session;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
    this.inputs = session.inputMetadata.map(spec);
    this.outputs = session.outputMetadata.map(spec);
  }

  /**
   * Loads a model from ONNX bytes, a file path or a `file:` URL.
   *
   * @example Usage
   * ```ts ignore
   * import { OnnxModel } from "@lib/onnx/runtime.ts";
   * const model = await OnnxModel.load("fixtures/models/fashion_mlp.onnx");
   * console.log(model.inputs); // [{ name: "pixels", type: "float32", shape: ["batch", 784] }]
   * ```
   * @param source The model.
   * @returns The loaded model.
   */
  static async load(source: Uint8Array | string | URL): Promise<OnnxModel> {
    const bytes = source instanceof Uint8Array ? source : await Deno.readFile(source);
    return new OnnxModel(await ort.InferenceSession.create(bytes));
  }

  /**
   * Loads a model, runs {@linkcode OnnxModel.predict} once and releases the session, also when
   * prediction throws.
   *
   * @example Usage
   * ```ts ignore
   * import { OnnxModel } from "@lib/onnx/runtime.ts";
   * const probabilities = await OnnxModel.predictOnce("fixtures/models/fashion_mlp.onnx", tf.zeros([4, 784]));
   * ```
   * @param source The model: ONNX bytes, a file path or a `file:` URL.
   * @param x One tensor per model input.
   * @returns The first output.
   */
  static async predictOnce(
    source: Uint8Array | string | URL,
    x: tf.Tensor | tf.Tensor[],
  ): Promise<tf.Tensor> {
    const model = await OnnxModel.load(source);
    try {
      return await model.predict(x);
    } finally {
      await model.release();
    }
  }

  /**
   * Checks `feeds` against the declared inputs; throws naming the first mismatch (missing or
   * unknown input, dtype, rank, a fixed dimension, a symbolic dimension such as `batch` that
   * differs between inputs, or data whose length does not match the dims).
   *
   * @example Usage
   * ```ts ignore
   * model.check({ pixels: { data: new Float32Array(784), dims: [1, 28, 28] } });
   * // Error: ONNX input "pixels": expected shape [batch, 784] (float32), got [1, 28, 28]
   * ```
   * @param feeds The feeds, by input name.
   */
  check(feeds: Record<string, Feed>): void {
    const unknown = Object.keys(feeds).filter((name) => !this.inputNames.includes(name));
    if (unknown.length) {
      throw new Error(
        `ONNX model has no input ${
          unknown.map((n) => `"${n}"`).join(", ")
        }; its inputs are ${this.#describeInputs()}`,
      );
    }
    const symbols = new Map<string, { size: number; input: string }>();
    for (const input of this.inputs) {
      const feed = feeds[input.name];
      if (!feed) {
        throw new Error(
          `ONNX input "${input.name}" is missing; the model's inputs are ${this.#describeInputs()}`,
        );
      }
      const expected = `expected shape ${formatShape(input.shape)} (${input.type})`;
      const got = `got ${formatShape(feed.dims)} (${typeOf(feed.data)})`;
      if (typeOf(feed.data) !== input.type) {
        throw new Error(`ONNX input "${input.name}": ${expected}, ${got}: wrong dtype`);
      }
      if (feed.dims.length !== input.shape.length) {
        throw new Error(`ONNX input "${input.name}": ${expected}, ${got}`);
      }
      input.shape.forEach((dim, i) => {
        const size = feed.dims[i];
        if (typeof dim === "number") {
          if (dim !== size) {
            throw new Error(`ONNX input "${input.name}": ${expected}, ${got}: dimension ${i} must be ${dim}`);
          }
          return;
        }
        const seen = symbols.get(dim);
        if (seen && seen.size !== size) {
          throw new Error(
            `ONNX input "${input.name}": ${expected}, ${got}: "${dim}" is ${seen.size} in input "${seen.input}" but ${size} here`,
          );
        }
        symbols.set(dim, { size, input: input.name });
      });
      const count = feed.dims.reduce((a, b) => a * b, 1);
      if (feed.data.length !== count) {
        throw new Error(
          `ONNX input "${input.name}": dims ${
            formatShape(feed.dims)
          } need ${count} values, got ${feed.data.length}`,
        );
      }
    }
  }

  /**
   * Runs the model after {@linkcode OnnxModel.check}ing the feeds. Outputs are returned as float32.
   *
   * @example Usage
   * ```ts ignore
   * const out = await model.run({ pixels: { data: new Float32Array(2 * 784), dims: [2, 784] } });
   * console.log(out.probabilities.dims); // [2, 10]
   * ```
   * @param feeds The inputs, by name.
   * @returns The outputs, by name.
   */
  async run(feeds: Record<string, Feed>): Promise<Record<string, Fetched>> {
    this.check(feeds);
    const inputs: Record<string, ort.Tensor> = {};
    for (const input of this.inputs) {
      const { data, dims } = feeds[input.name];
      inputs[input.name] = new ort.Tensor(input.type as "float32", data as Float32Array, dims);
    }
    const results = await this.#session.run(inputs);
    const out: Record<string, Fetched> = {};
    for (const name of this.outputNames) {
      const tensor = results[name];
      const data = tensor.data instanceof Float32Array
        ? tensor.data
        : Float32Array.from(tensor.data as ArrayLike<number>, Number);
      out[name] = { data, dims: [...tensor.dims] };
      tensor.dispose();
    }
    return out;
  }

  /**
   * Runs the model on tfjs tensors (in input order) and returns the first output as a tfjs tensor.
   *
   * @example Usage
   * ```ts ignore
   * const probabilities = await model.predict(tf.zeros([4, 784]));
   * probabilities.print();
   * ```
   * @param x One tensor per model input.
   * @returns The first output.
   */
  async predict(x: tf.Tensor | tf.Tensor[]): Promise<tf.Tensor> {
    const tensors = Array.isArray(x) ? x : [x];
    if (tensors.length !== this.inputs.length) {
      throw new Error(
        `ONNX model takes ${this.inputs.length} inputs (${this.#describeInputs()}), got ${tensors.length} tensors`,
      );
    }
    const feeds: Record<string, Feed> = {};
    this.inputNames.forEach((name, i) => {
      feeds[name] = { data: tensors[i].dataSync() as FeedData, dims: tensors[i].shape };
    });
    const first = (await this.run(feeds))[this.outputNames[0]];
    return tf.tensor(first.data, first.dims);
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.#session.release();
  }

  #describeInputs(): string {
    return this.inputs.map((i) => `"${i.name}" ${formatShape(i.shape)} (${i.type})`).join(", ");
  }
}
