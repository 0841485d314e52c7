/**
 * ONNX protobuf building blocks on `onnx-proto` (protobufjs code generated from the
 * official `onnx.proto`, ONNX 1.10, IR version 8): typed constructors for tensors,
 * attributes and value infos, and the model's encode/decode.
 *
 * Tensors are stored as little-endian `raw_data`, the form the ONNX spec prescribes.
 *
 * @example Usage
 * ```ts
 * import { floatTensor, onnx } from "@lib/onnx/proto.ts";
 * const bias = floatTensor("bias", new Float32Array([0.5, -1]), [2]);
 * console.log(bias.dataType === onnx.TensorProto.DataType.FLOAT); // true
 * ```
 * @module
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";

/** The generated ONNX message classes (`onnx.ModelProto`, `onnx.NodeProto`, ...). */
export const onnx: typeof OnnxTypes = onnxProto.onnx;

/** A node, as plain properties. */
export type NodeProto = OnnxTypes.INodeProto;
/** A tensor, as plain properties. */
export type TensorProto = OnnxTypes.ITensorProto;
/** An attribute, as plain properties. */
export type AttributeProto = OnnxTypes.IAttributeProto;
/** A graph input or output description, as plain properties. */
export type ValueInfoProto = OnnxTypes.IValueInfoProto;
/** A model, as plain properties. */
export type ModelProto = OnnxTypes.IModelProto;

/** ONNX element types used by the exporter. */
export const DataType = {
  FLOAT: onnx.TensorProto.DataType.FLOAT,
  INT32: onnx.TensorProto.DataType.INT32,
  INT64: onnx.TensorProto.DataType.INT64,
} as const;

/**
 * An attribute value: an integer → INT, `{ float }` → FLOAT, a string → STRING, a number
 * array → INTS, a string array → STRINGS, `{ floats }` → FLOATS. Floats are always wrapped so
 * that `alpha: 1` cannot silently become an INT.
 */
export type AttributeValue = number | string | number[] | string[] | { float: number } | { floats: number[] };

/** A dimension: a fixed size, or a symbolic name such as `"batch"`. */
export type Dim = number | string;

function littleEndian(
  length: number,
  bytesPer: number,
  set: (view: DataView, offset: number, i: number) => void,
) {
  const bytes = new Uint8Array(length * bytesPer);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < length; i++) set(view, i * bytesPer, i);
  return bytes;
}

/**
 * A FLOAT tensor stored as little-endian raw data.
 *
 * @example Usage
 * ```ts
 * import { floatTensor } from "@lib/onnx/proto.ts";
 * console.log(floatTensor("w", new Float32Array(6), [2, 3]).dims); // [2, 3]
 * ```
 * @param name The initializer name.
 * @param values The values in row-major order.
 * @param dims The shape.
 * @returns The tensor.
 */
export function floatTensor(name: string, values: Float32Array, dims: number[]): TensorProto {
  const rawData = littleEndian(values.length, 4, (v, o, i) => v.setFloat32(o, values[i], true));
  return { name, dims, dataType: DataType.FLOAT, rawData };
}

/**
 * An INT64 tensor (shapes, axes, slice bounds) stored as little-endian raw data.
 *
 * @example Usage
 * ```ts
 * import { int64Tensor } from "@lib/onnx/proto.ts";
 * console.log(int64Tensor("shape", [0, -1], [2]).rawData?.length); // 16
 * ```
 * @param name The initializer name.
 * @param values The values (numbers or bigints).
 * @param dims The shape.
 * @returns The tensor.
 */
export function int64Tensor(name: string, values: (number | bigint)[], dims: number[]): TensorProto {
  const rawData = littleEndian(values.length, 8, (v, o, i) => v.setBigInt64(o, BigInt(values[i]), true));
  return { name, dims, dataType: DataType.INT64, rawData };
}

function isStrings(value: AttributeValue): value is string[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "string";
}

/**
 * An attribute from a JavaScript value (see {@linkcode AttributeValue} for the mapping).
 *
 * @example Usage
 * ```ts
 * import { attribute } from "@lib/onnx/proto.ts";
 * console.log(attribute("axis", 1).i, attribute("alpha", { float: 1 }).f); // 1 1
 * ```
 * @param name The attribute name.
 * @param value Its value.
 * @returns The attribute.
 */
export function attribute(name: string, value: AttributeValue): AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "string") return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (isStrings(value)) {
    return {
      name,
      type: T.STRINGS,
      strings: value.map((v) => new TextEncoder().encode(v)),
    };
  }
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === "object") {
    return "float" in value
      ? { name, type: T.FLOAT, f: value.float }
      : { name, type: T.FLOATS, floats: value.floats };
  }
  if (!Number.isInteger(value)) {
    throw new Error(`ONNX attribute "${name}": ${value} is not an integer; wrap floats as { float }`);
  }
  return { name, type: T.INT, i: value };
}

/**
 * A tensor value description (graph input or output) with fixed and symbolic dimensions.
 *
 * @example Usage
 * ```ts
 * import { DataType, valueInfo } from "@lib/onnx/proto.ts";
 * const x = valueInfo("x", DataType.FLOAT, ["batch", 784]);
 * console.log(x.type?.tensorType?.shape?.dim?.[0].dimParam); // "batch"
 * ```
 * @param name The value name.
 * @param elemType Its element type.
 * @param dims Its shape.
 * @returns The value info.
 */
export function valueInfo(name: string, elemType: number, dims: Dim[]): ValueInfoProto {
  const dim = dims.map((d) => typeof d === "string" ? { dimParam: d } : { dimValue: d });
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * Serialises a model to ONNX protobuf bytes.
 *
 * @example Usage
 * ```ts
 * import { encodeModel, decodeModel } from "@lib/onnx/proto.ts";
 * const bytes = encodeModel({ irVersion: 8, producerName: "demo" });
 * console.log(decodeModel(bytes).producerName); // "demo"
 * ```
 * @param model The model.
 * @returns The bytes of a `.onnx` file.
 */
export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/**
 * Parses ONNX protobuf bytes.
 *
 * @example Usage
 * ```ts
 * import { encodeModel, decodeModel } from "@lib/onnx/proto.ts";
 * console.log(decodeModel(encodeModel({ producerName: "demo" })).producerName); // "demo"
 * ```
 * @param bytes The bytes of a `.onnx` file.
 * @returns The model.
 */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
