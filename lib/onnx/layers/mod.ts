/**
 * The layer converters, by tfjs layer class name. A class missing here is not exported: the
 * exporter raises an error naming it rather than guessing.
 *
 * @example Usage
 * ```ts
 * import { CONVERTERS } from "@lib/onnx/layers/mod.ts";
 * console.log("Conv2D" in CONVERTERS, "GRU" in CONVERTERS); // true false
 * ```
 * @module
 */
import * as activations from "./activations.ts";
import type { LayerConverter } from "./context.ts";
import * as convolutional from "./convolutional.ts";
import * as core from "./core.ts";
import { embedding } from "./embeddings.ts";
import * as merge from "./merge.ts";
import { batchNormalization } from "./normalization.ts";
import { lstm } from "./recurrent.ts";

/** Converter for each supported tfjs layer class. */
export const CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Dense: core.dense,
  Flatten: core.flatten,
  Reshape: core.reshape,
  Dropout: core.identityAtInference,
  SpatialDropout1D: core.identityAtInference,
  GaussianNoise: core.identityAtInference,
  GaussianDropout: core.identityAtInference,
  AlphaDropout: core.identityAtInference,
  Rescaling: core.rescaling,
  Activation: activations.activationLayer,
  ReLU: activations.reluLayer,
  LeakyReLU: activations.leakyReluLayer,
  ELU: activations.eluLayer,
  ThresholdedReLU: activations.thresholdedReluLayer,
  PReLU: activations.preluLayer,
  Softmax: activations.softmaxLayer,
  Conv2D: convolutional.conv2d,
  MaxPooling2D: convolutional.maxPooling2d,
  AveragePooling2D: convolutional.averagePooling2d,
  GlobalAveragePooling2D: convolutional.globalAveragePooling2d,
  GlobalMaxPooling2D: convolutional.globalMaxPooling2d,
  BatchNormalization: batchNormalization,
  Embedding: embedding,
  LSTM: lstm,
  Concatenate: merge.concatenate,
  Add: merge.add,
  Multiply: merge.multiply,
  Average: merge.average,
  Maximum: merge.maximum,
  Minimum: merge.minimum,
};
