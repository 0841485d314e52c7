/**
 * Kata 03, step 5: a large frozen pretrained embedding concatenated with a small trainable
 * one, so the trainable parameters do not grow with the vocabulary.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";

/** The name of the frozen (pretrained) embedding layer (step 5). */
export const FROZEN_LAYER = "frozen_embedding";
/** The name of the small trainable embedding layer (step 5). */
export const SMALL_LAYER = "small_embedding";

/** What {@linkcode buildFrozenPlusSmall} builds (step 5). */
export interface FrozenPlusSmallOptions {
  /** The pretrained table, `[bigVocab, bigDim]`; it becomes the frozen layer's weights. */
  pretrained: tf.Tensor2D;
  /**
   * Ids below `smallVocab` (the most frequent words, as tokenizers number words by
   * frequency) get their own trainable row; every other id shares one extra row.
   */
  smallVocab: number;
  /** Width of the trainable embedding. */
  smallDim: number;
  /** LSTM units. */
  units: number;
  /** Tokens per sequence. */
  seqLen: number;
}

/**
 * Step 5. Token ids `[batch, seqLen]` (int32) → two embeddings side by side:
 * - {@linkcode FROZEN_LAYER}: Embedding(bigVocab, bigDim) holding `pretrained`, `trainable: false`;
 * - {@linkcode SMALL_LAYER}: a trainable Embedding(smallVocab + 1, smallDim) of the ids, every
 *   id ≥ smallVocab replaced by smallVocab;
 *
 * → Concatenate → LSTM(units) → Dense(1) (`lstmHead` from `@lib/models/text_classifier.ts` builds
 * this last part). Throws a `RangeError` when `pretrained` is not a matrix (mention
 * "pretrained") or `smallVocab` is not below its number of rows (mention "smallVocab").
 */
export function buildFrozenPlusSmall(_options: FrozenPlusSmallOptions): tf.LayersModel {
  return notImplemented("buildFrozenPlusSmall", 5);
}
