/**
 * Exports a trained TensorFlow.js Layers model (Sequential or functional) to ONNX, the way a
 * model is shipped to a browser or a service, so onnxruntime can run it.
 *
 * The file states IR version 8 and the ONNX opset (default 17; 13–17 accepted, all run by
 * onnxruntime-web 1.30), names its inputs after the model's input layers and its outputs after
 * its output layers, gives every input and output a symbolic `batch` first dimension, and
 * records the producer (`ml-katas`), the tfjs version and a doc string naming the source model.
 * Image layers keep the model's NHWC interface; inside, convolutions run NCHW.
 *
 * Supported layers: see {@linkcode CONVERTERS} (Dense, Conv2D, pooling, BatchNormalization,
 * Flatten, Reshape, Dropout and noise layers, Embedding, LSTM, Concatenate and element-wise
 * merges, Rescaling, Activation and the advanced activations). Anything else, or an option the
 * exporter cannot translate faithfully, throws an {@linkcode UnsupportedLayerError} naming the
 * layer class, the layer's name and the option, never a silently wrong graph.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { exportOnnx } from "@lib/onnx/export.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: "softmax" })] });
 * const bytes = exportOnnx(model, { modelName: "tiny" });
 * console.log(bytes.length > 0); // true
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { GraphBuilder, UnsupportedLayerError } from "./graph.ts";
import { LayerContext } from "./layers/context.ts";
import { CONVERTERS } from "./layers/mod.ts";
import { DataType, type Dim, encodeModel, type ModelProto, valueInfo } from "./proto.ts";

export { UnsupportedLayerError } from "./graph.ts";

/** The producer name written into every exported model. */
export const PRODUCER_NAME = "ml-katas";
/** The exporter's version, written as the producer version. */
export const PRODUCER_VERSION = "1.0.0";
/** The ONNX IR version of the files (the one `onnx-proto`'s schema defines). */
export const IR_VERSION = 8;
/** The default ONNX opset. */
export const DEFAULT_OPSET = 17;
/** The opsets the exporter can target: every operator it emits is the same across them. */
export const SUPPORTED_OPSETS: readonly [number, number] = [13, 17];

/** Options of {@linkcode exportOnnx}. */
export interface ExportOptions {
  /** The ONNX graph name (default: the tfjs model's name). */
  modelName?: string;
  /** Text prepended to the model's doc string. */
  docString?: string;
  /** The ONNX opset (default {@linkcode DEFAULT_OPSET}). */
  opset?: number;
}

const ELEMENT_TYPES: Record<string, number> = { float32: DataType.FLOAT, int32: DataType.INT32 };

function elementType(t: tf.SymbolicTensor): number {
  const type = ELEMENT_TYPES[t.dtype];
  if (type === undefined) {
    throw new UnsupportedLayerError(
      t.sourceLayer.getClassName(),
      t.sourceLayer.name,
      "inputs and outputs must be float32 or int32",
      `dtype="${t.dtype}"`,
    );
  }
  return type;
}

function dims(t: tf.SymbolicTensor, name: string): Dim[] {
  return ["batch", ...t.shape.slice(1).map((d, i) => d ?? `${name}_dim${i + 1}`)];
}

function uniqueNames(bases: string[]): string[] {
  const seen = new Map<string, number>();
  return bases.map((base) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

function convertLayers(graph: GraphBuilder, outputs: tf.SymbolicTensor[], inputIds: Set<number>): string[] {
  const converted = new Set<string>();
  const classes: string[] = [];
  const visit = (t: tf.SymbolicTensor) => {
    const layer = t.sourceLayer;
    const key = `${layer.name}#${t.nodeIndex}`;
    if (converted.has(key) || inputIds.has(t.id)) return;
    converted.add(key);
    const className = layer.getClassName();
    const converter = CONVERTERS[className];
    if (!converter) {
      const hint = layer instanceof tf.LayersModel
        ? "nested models are not exported; build one flat model from their layers"
        : className === "InputLayer"
        ? "every input layer must be one of the model's inputs"
        : `supported layers: ${Object.keys(CONVERTERS).join(", ")}`;
      throw new UnsupportedLayerError(className, layer.name, hint);
    }
    const node = layer.inboundNodes[t.nodeIndex];
    node.inputTensors.forEach(visit);
    converter(new LayerContext(graph, { layer, inputs: node.inputTensors, outputs: node.outputTensors }));
    classes.push(className);
  };
  outputs.forEach(visit);
  return classes;
}

/**
 * Builds the ONNX model (as protobuf properties) for a tfjs Layers model.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { toModelProto } from "@lib/onnx/export.ts";
 * const x = tf.input({ shape: [4], name: "features" });
 * const model = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 1, name: "score" }).apply(x) as tf.SymbolicTensor });
 * console.log(toModelProto(model).graph?.output?.[0].name); // "score"
 * ```
 * @param model A built model (its first layer has an input shape).
 * @param options Name, doc string, opset.
 * @returns The model.
 */
export function toModelProto(model: tf.LayersModel, options: ExportOptions = {}): ModelProto {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < SUPPORTED_OPSETS[0] || opset > SUPPORTED_OPSETS[1]) {
    throw new Error(`ONNX export: opset ${opset} is not supported; use ${SUPPORTED_OPSETS.join("–")}`);
  }
  const inputs = model.inputs ?? [];
  const outputs = model.outputs ?? [];
  if (inputs.length === 0 || outputs.length === 0) {
    throw new Error(`ONNX export: model "${model.name}" is not built; give its first layer an inputShape`);
  }
  const graph = new GraphBuilder();
  const inputNames = inputs.map((t) => t.sourceLayer.name);
  // Unique among inputs and outputs: a layer can produce several outputs, an output can be an input.
  const outputNames = uniqueNames([...inputNames, ...outputs.map((t) => t.sourceLayer.name)]).slice(
    inputs.length,
  );
  [...inputNames, ...outputNames].forEach((name) => graph.reserve(name));
  inputs.forEach((t, i) => graph.hold(t, inputNames[i], "tf"));

  const classes = convertLayers(graph, outputs, new Set(inputs.map((t) => t.id)));

  const renamed = new Map<string, string>();
  outputs.forEach((t, i) => {
    const value = graph.value(t, "tf").name;
    if (!renamed.has(value) && graph.isNodeOutput(value)) {
      graph.rename(value, outputNames[i]);
      renamed.set(value, outputNames[i]);
    } else {
      graph.nodes.push({
        opType: "Identity",
        input: [renamed.get(value) ?? value],
        output: [outputNames[i]],
        name: outputNames[i],
      });
    }
  });

  const source = `the TensorFlow.js ${model.getClassName()} "${model.name}" ` +
    `(tfjs ${tf.version.tfjs}; layers: ${[...new Set(classes)].join(", ")})`;
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: opset }],
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    docString: [options.docString, `Exported by ${PRODUCER_NAME} lib/onnx from ${source}.`].filter(Boolean)
      .join("\n\n"),
    metadataProps: [
      { key: "source_model", value: model.name },
      { key: "tfjs_version", value: tf.version.tfjs },
    ],
    graph: {
      name: options.modelName ?? model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: inputs.map((t, i) => valueInfo(inputNames[i], elementType(t), dims(t, inputNames[i]))),
      output: outputs.map((t, i) => valueInfo(outputNames[i], elementType(t), dims(t, outputNames[i]))),
    },
  };
}

/**
 * Exports a tfjs Layers model to ONNX bytes.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { exportOnnx } from "@lib/onnx/export.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [784], activation: "softmax" })] });
 * console.log(exportOnnx(model).length > 784 * 10 * 4); // true: the weights are in the file
 * ```
 * @param model A built model.
 * @param options Name, doc string, opset.
 * @returns The bytes of a `.onnx` file.
 */
export function exportOnnx(model: tf.LayersModel, options: ExportOptions = {}): Uint8Array {
  return encodeModel(toModelProto(model, options));
}

/**
 * Exports a tfjs Layers model to an `.onnx` file (parent folders are created).
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { writeOnnx } from "@lib/onnx/export.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * const path = await Deno.makeTempFile({ suffix: ".onnx" });
 * await writeOnnx(path, model);
 * await Deno.remove(path);
 * ```
 * @param path Where to write.
 * @param model A built model.
 * @param options Name, doc string, opset.
 */
export async function writeOnnx(
  path: string,
  model: tf.LayersModel,
  options: ExportOptions = {},
): Promise<void> {
  const bytes = exportOnnx(model, options);
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  await Deno.writeFile(path, bytes);
}
