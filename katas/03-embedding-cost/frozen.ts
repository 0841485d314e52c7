/**
 * Kata 03, step 5: a large frozen pretrained embedding concatenated with a small trainable
 * one, so the trainable parameters do not grow with the vocabulary.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { notImplemented } from "@lib/testing/not_implemented.ts";
import type { FrozenPlusSmallOptions } from "./contract.ts";

export { FROZEN_LAYER, type FrozenPlusSmallOptions, SMALL_LAYER } from "./contract.ts";

/**
 * Step 5. Token ids `[batch, seqLen]` (int32) → two embeddings side by side, in this order:
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
