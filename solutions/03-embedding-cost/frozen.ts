/**
 * Kata 03, step 5 (reference): a large frozen pretrained embedding concatenated with a
 * small trainable one, so the trainable parameters do not grow with the vocabulary.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { lstmHead } from "@lib/models/text_classifier.ts";
import { FROZEN_LAYER, type FrozenPlusSmallOptions, SMALL_LAYER } from "./contract.ts";

export { FROZEN_LAYER, type FrozenPlusSmallOptions, SMALL_LAYER } from "./contract.ts";

/** Maps every id at or above `smallVocab` to `smallVocab`, the shared "other word" row. */
class ClampIds extends tf.layers.Layer {
  static className = "ClampIds";
  readonly smallVocab: number;

  constructor(smallVocab: number) {
    super({ name: "clamp_ids" });
    this.smallVocab = smallVocab;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.minimum(ids, tf.scalar(this.smallVocab, "int32")));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), smallVocab: this.smallVocab };
  }
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

/**
 * Step 5. Token ids → [frozen Embedding(bigVocab, bigDim) with the pretrained weights,
 * trainable Embedding(smallVocab + 1, smallDim) of the clamped ids] → Concatenate →
 * LSTM(units) → Dense(1). The layers are named {@linkcode FROZEN_LAYER} and
 * {@linkcode SMALL_LAYER}.
 */
export function buildFrozenPlusSmall(options: FrozenPlusSmallOptions): tf.LayersModel {
  const { pretrained, smallVocab, smallDim, units, seqLen } = options;
  if (pretrained.rank !== 2) {
    throw new RangeError(`pretrained must be a [bigVocab, bigDim] matrix, got shape [${pretrained.shape}]`);
  }
  for (const [name, value] of Object.entries({ smallVocab, smallDim, units, seqLen })) {
    checkCount(name, value);
  }
  const [bigVocab, bigDim] = pretrained.shape;
  if (smallVocab >= bigVocab) {
    throw new RangeError(
      `smallVocab (${smallVocab}) must be below the pretrained vocabulary (${bigVocab}): ` +
        `the trainable table is meant to cover only the most frequent words`,
    );
  }
  const ids = tf.input({ shape: [seqLen], dtype: "int32", name: "ids" });
  const frozen = tf.layers.embedding({
    inputDim: bigVocab,
    outputDim: bigDim,
    embeddingsInitializer: "zeros",
    weights: [pretrained],
    trainable: false,
    name: FROZEN_LAYER,
  }).apply(ids) as tf.SymbolicTensor;
  const clamped = new ClampIds(smallVocab).apply(ids) as tf.SymbolicTensor;
  const small = tf.layers.embedding({ inputDim: smallVocab + 1, outputDim: smallDim, name: SMALL_LAYER })
    .apply(clamped) as tf.SymbolicTensor;
  const both = tf.layers.concatenate({ name: "both_embeddings" }).apply([frozen, small]) as tf.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: lstmHead(both, units) });
}
