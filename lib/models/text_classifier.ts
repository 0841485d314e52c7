/**
 * A small LSTM text classifier (token ids → Embedding → LSTM → one logit) and its training
 * step, for experiments on what training an embedding costs.
 *
 * - {@linkcode buildEmbeddingLstm}: the whole model; its embedding layer is named
 *   {@linkcode EMBEDDING_LAYER}.
 * - {@linkcode buildLstmHead}: the same network without the embedding (input: embedded
 *   sequences), for designs that keep the table outside tfjs; its weights line up with
 *   `buildEmbeddingLstm(...).getWeights().slice(1)`.
 * - {@linkcode trainStep}: one optimizer step on a {@linkcode TokenBatch}, with
 *   {@linkcode classifierLoss} (sigmoid cross-entropy on the logit).
 *
 * The LSTM's recurrent kernel is initialised Glorot-uniform: tfjs's default (orthogonal)
 * warns for kernels above 2,000 elements and is slow for large ones, and the experiments
 * here do not depend on it.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
 * import { createRng } from "@lib/core/random.ts";
 * import { randomTokenBatch } from "@lib/data/token_batches.ts";
 * import { buildEmbeddingLstm, trainStep } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const model = buildEmbeddingLstm({ vocab: 50, embeddingDim: 4, units: 3, seqLen: 5 });
 * const batch = randomTokenBatch(createRng(1), { batchSize: 2, seqLen: 5, vocab: 50 });
 * const loss = trainStep(model, tf.train.adam(0.01), batch);
 * console.log(loss > 0); // true
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchTensors, type TokenBatch } from "../data/token_batches.ts";

/** The name of {@linkcode buildEmbeddingLstm}'s embedding layer. */
export const EMBEDDING_LAYER = "embedding";

/** Sizes of the network after the embedding. */
export interface HeadShape {
  /** Width of an embedded token (the LSTM's input size). */
  embeddingDim: number;
  /** LSTM units. */
  units: number;
  /** Tokens per sequence. */
  seqLen: number;
}

/** Sizes of the whole classifier. */
export interface ClassifierShape extends HeadShape {
  /** Rows of the embedding table. */
  vocab: number;
  /** Whether the embedding table trains (default true). */
  trainableEmbedding?: boolean;
}

function checkSizes(sizes: Record<string, number>): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
}

/**
 * Appends the LSTM and the output layer to `embedded` (`[batch, seqLen, embeddingDim]`).
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import * as tf from "@tensorflow/tfjs";
 * import { lstmHead } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const input = tf.input({ shape: [5, 4] });
 * const logit = lstmHead(input, 3);
 * console.log(logit.shape); // [null, 1]
 * ```
 * @param embedded The embedded sequences.
 * @param units LSTM units.
 * @returns The logit, `[batch, 1]`.
 */
export function lstmHead(embedded: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
  const lstm = tf.layers.lstm({ units, recurrentInitializer: "glorotUniform", name: "lstm" });
  const hidden = lstm.apply(embedded) as tf.SymbolicTensor;
  return tf.layers.dense({ units: 1, name: "logit" }).apply(hidden) as tf.SymbolicTensor;
}

/**
 * Token ids `[batch, seqLen]` (int32) → Embedding(vocab, embeddingDim) → LSTM(units) → Dense(1).
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import { buildEmbeddingLstm } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const model = buildEmbeddingLstm({ vocab: 100, embeddingDim: 8, units: 4, seqLen: 6 });
 * console.log(model.countParams()); // 100*8 + 4*(4*(8+4)+4) + 5 = 1013
 * ```
 * @param shape Vocabulary, widths and sequence length.
 * @returns The (uncompiled) model.
 */
export function buildEmbeddingLstm(shape: ClassifierShape): tf.LayersModel {
  const { vocab, embeddingDim, units, seqLen, trainableEmbedding = true } = shape;
  checkSizes({ vocab, embeddingDim, units, seqLen });
  const ids = tf.input({ shape: [seqLen], dtype: "int32", name: "ids" });
  const embedding = tf.layers.embedding({
    inputDim: vocab,
    outputDim: embeddingDim,
    trainable: trainableEmbedding,
    name: EMBEDDING_LAYER,
  });
  const logit = lstmHead(embedding.apply(ids) as tf.SymbolicTensor, units);
  return tf.model({ inputs: ids, outputs: logit });
}

/**
 * The classifier without its embedding: embedded sequences `[batch, seqLen, embeddingDim]`
 * → LSTM(units) → Dense(1).
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import { buildLstmHead } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const head = buildLstmHead({ embeddingDim: 8, units: 4, seqLen: 6 });
 * console.log(head.inputs[0].shape); // [null, 6, 8]
 * ```
 * @param shape Widths and sequence length.
 * @returns The (uncompiled) model.
 */
export function buildLstmHead(shape: HeadShape): tf.LayersModel {
  const { embeddingDim, units, seqLen } = shape;
  checkSizes({ embeddingDim, units, seqLen });
  const embedded = tf.input({ shape: [seqLen, embeddingDim], name: "embedded" });
  return tf.model({ inputs: embedded, outputs: lstmHead(embedded, units) });
}

/**
 * Mean sigmoid cross-entropy between 0/1 labels and logits.
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import * as tf from "@tensorflow/tfjs";
 * import { classifierLoss } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const loss = classifierLoss(tf.zeros([2, 1]), tf.tensor2d([[0], [1]]));
 * console.log(loss.dataSync()[0].toFixed(3)); // "0.693"
 * ```
 * @param logits `[batch, 1]`.
 * @param labels `[batch, 1]`, 0 or 1.
 * @returns The scalar loss.
 */
export function classifierLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
}

/**
 * The trainable variables of `model`, in `model.trainableWeights` order.
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import { buildEmbeddingLstm, trainableVariables } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const model = buildEmbeddingLstm({ vocab: 10, embeddingDim: 2, units: 2, seqLen: 3 });
 * console.log(trainableVariables(model).length); // 6
 * ```
 * @param model A tfjs layers model.
 * @returns Its trainable `tf.Variable`s.
 */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

/**
 * One optimizer step of `model` on `batch` (the optimizer updates `model`'s trainable
 * weights in place). Returns the batch's loss before the step.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
 * import { createRng } from "@lib/core/random.ts";
 * import { randomTokenBatch } from "@lib/data/token_batches.ts";
 * import { buildEmbeddingLstm, trainStep } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const model = buildEmbeddingLstm({ vocab: 20, embeddingDim: 2, units: 2, seqLen: 3 });
 * const loss = trainStep(model, tf.train.sgd(0.1), randomTokenBatch(createRng(1), { batchSize: 2, seqLen: 3, vocab: 20 }));
 * console.log(Number.isFinite(loss)); // true
 * ```
 * @param model A model taking the batch's ids (as {@linkcode buildEmbeddingLstm} builds).
 * @param optimizer Any tfjs optimizer.
 * @param batch The batch.
 * @returns The loss.
 */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, batch: TokenBatch): number {
  const { ids, labels } = batchTensors(batch);
  try {
    const cost = tf.tidy(() =>
      optimizer.minimize(
        () => classifierLoss(model.apply(ids, { training: true }) as tf.Tensor, labels),
        true,
        trainableVariables(model),
      ) as tf.Scalar
    );
    const loss = cost.dataSync()[0];
    cost.dispose();
    return loss;
  } finally {
    tf.dispose([ids, labels]);
  }
}

/**
 * The `tf.Variable` holding the table of the embedding layer named `layerName`.
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import { buildEmbeddingLstm, embeddingTable } from "@lib/models/text_classifier.ts";
 * await initBackend();
 * const model = buildEmbeddingLstm({ vocab: 30, embeddingDim: 4, units: 2, seqLen: 3 });
 * console.log(embeddingTable(model).shape); // [30, 4]
 * ```
 * @param model The model.
 * @param layerName The embedding layer's name (default {@linkcode EMBEDDING_LAYER}).
 * @returns The table variable.
 */
export function embeddingTable(model: tf.LayersModel, layerName: string = EMBEDDING_LAYER): tf.Variable {
  const layer = model.layers.find((l) => l.name === layerName);
  if (!layer || layer.getClassName() !== "Embedding") {
    const names = model.layers.map((l) => `${l.name} (${l.getClassName()})`).join(", ");
    throw new Error(`the model has no embedding layer named "${layerName}"; its layers are: ${names}`);
  }
  return layer.weights[0].read() as tf.Variable;
}
