/**
 * Synthetic minibatches of token ids for text-model experiments: uniform random batches,
 * batches whose word frequencies follow Zipf's law (as in text), and "epochs" in which every
 * id of the vocabulary appears at least once (as after one pass over a corpus the vocabulary
 * was built from).
 *
 * A batch holds `batchSize` sequences of `seqLen` ids, row-major, and one 0/1 label per
 * sequence: 1 when more than half of its ids are even (a rule an embedding model can learn).
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { randomTokenBatch } from "@lib/data/token_batches.ts";
 * const batch = randomTokenBatch(createRng(1), { batchSize: 2, seqLen: 3, vocab: 100 });
 * console.log(batch.ids.length, batch.labels.length); // 6 2
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/random.ts";

/** A minibatch of token sequences with binary labels. */
export interface TokenBatch {
  /** Token ids, `batchSize × seqLen`, row-major. */
  ids: Int32Array;
  /** One label (0 or 1) per sequence. */
  labels: Float32Array;
  /** Number of sequences. */
  batchSize: number;
  /** Tokens per sequence. */
  seqLen: number;
}

/** The size of a batch and the vocabulary its ids come from. */
export interface BatchShape {
  /** Number of sequences per batch. */
  batchSize: number;
  /** Tokens per sequence. */
  seqLen: number;
  /** Ids are drawn from `[0, vocab)`. */
  vocab: number;
}

function checkShape({ batchSize, seqLen, vocab }: BatchShape): void {
  for (const [name, value] of Object.entries({ batchSize, seqLen, vocab })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
}

function labelled(ids: Int32Array, batchSize: number, seqLen: number): TokenBatch {
  const labels = new Float32Array(batchSize);
  for (let b = 0; b < batchSize; b++) {
    let even = 0;
    for (let t = 0; t < seqLen; t++) if (ids[b * seqLen + t] % 2 === 0) even++;
    labels[b] = even * 2 > seqLen ? 1 : 0;
  }
  return { ids, labels, batchSize, seqLen };
}

/**
 * A batch of ids drawn uniformly from `[0, vocab)`.
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { randomTokenBatch } from "@lib/data/token_batches.ts";
 * const { ids } = randomTokenBatch(createRng(7), { batchSize: 4, seqLen: 5, vocab: 10 });
 * console.log(Math.max(...ids) < 10); // true
 * ```
 * @param rng The random generator.
 * @param shape Batch size, sequence length and vocabulary size.
 * @returns The batch.
 */
export function randomTokenBatch(rng: Rng, shape: BatchShape): TokenBatch {
  checkShape(shape);
  const { batchSize, seqLen, vocab } = shape;
  const ids = new Int32Array(batchSize * seqLen);
  for (let i = 0; i < ids.length; i++) ids[i] = rng.int(vocab);
  return labelled(ids, batchSize, seqLen);
}

/**
 * A batch of ids whose frequencies fall with their rank, as words in text do (Zipf's law):
 * `id = ⌊(vocab + 1)^u⌋ − 1` for `u` uniform in [0, 1), so `P(id = k) = log((k + 2) / (k + 1)) /
 * log(vocab + 1)`, about `1 / ((k + 1.5) · ln(vocab + 1))`. Id 0 is the most frequent word; the
 * `r` most frequent ids cover a share `log(r + 1) / log(vocab + 1)` of the tokens (at 1,000,000
 * words, the first 10,000 cover two thirds). Labels follow the same rule as
 * {@linkcode randomTokenBatch}.
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { zipfTokenBatch } from "@lib/data/token_batches.ts";
 * const { ids } = zipfTokenBatch(createRng(7), { batchSize: 50, seqLen: 20, vocab: 1_000_000 });
 * console.log(ids.filter((id) => id < 10_000).length > 500); // true (about two thirds of 1,000)
 * ```
 * @param rng The random generator.
 * @param shape Batch size, sequence length and vocabulary size.
 * @returns The batch.
 */
export function zipfTokenBatch(rng: Rng, shape: BatchShape): TokenBatch {
  checkShape(shape);
  const { batchSize, seqLen, vocab } = shape;
  const logRange = Math.log(vocab + 1);
  const ids = new Int32Array(batchSize * seqLen);
  for (let i = 0; i < ids.length; i++) {
    ids[i] = Math.min(vocab - 1, Math.floor(Math.exp(rng.uniform() * logRange)) - 1);
  }
  return labelled(ids, batchSize, seqLen);
}

/**
 * One pass over the vocabulary: the ids `0 … vocab-1` in a random order, cut into batches;
 * the last batch is filled up with random ids. Every id appears at least once.
 *
 * @example Usage
 * ```ts
 * import { createRng } from "@lib/core/random.ts";
 * import { vocabularyEpoch } from "@lib/data/token_batches.ts";
 * const epoch = vocabularyEpoch(createRng(3), { batchSize: 4, seqLen: 5, vocab: 50 });
 * console.log(epoch.length); // 3 (50 ids, 20 per batch)
 * ```
 * @param rng The random generator.
 * @param shape Batch size, sequence length and vocabulary size.
 * @returns The batches, in order.
 */
export function vocabularyEpoch(rng: Rng, shape: BatchShape): TokenBatch[] {
  checkShape(shape);
  const { batchSize, seqLen, vocab } = shape;
  const perBatch = batchSize * seqLen;
  const order = rng.shuffle(Array.from({ length: vocab }, (_, i) => i));
  const batches: TokenBatch[] = [];
  for (let start = 0; start < vocab; start += perBatch) {
    const ids = new Int32Array(perBatch);
    for (let i = 0; i < perBatch; i++) ids[i] = start + i < vocab ? order[start + i] : rng.int(vocab);
    batches.push(labelled(ids, batchSize, seqLen));
  }
  return batches;
}

/**
 * The batch as tensors: ids `int32 [batchSize, seqLen]` and labels `float32 [batchSize, 1]`.
 * The caller disposes them.
 *
 * @example Usage
 * ```ts
 * import { initBackend } from "@lib/backend/init.ts";
 * import { createRng } from "@lib/core/random.ts";
 * import { batchTensors, randomTokenBatch } from "@lib/data/token_batches.ts";
 * await initBackend();
 * const { ids, labels } = batchTensors(randomTokenBatch(createRng(1), { batchSize: 2, seqLen: 3, vocab: 9 }));
 * console.log(ids.shape, labels.shape); // [2, 3] [2, 1]
 * ids.dispose();
 * labels.dispose();
 * ```
 * @param batch The batch.
 * @returns Its ids and labels as tensors.
 */
export function batchTensors(batch: TokenBatch): { ids: tf.Tensor2D; labels: tf.Tensor2D } {
  return {
    ids: tf.tensor2d(batch.ids, [batch.batchSize, batch.seqLen], "int32"),
    labels: tf.tensor2d(batch.labels, [batch.batchSize, 1], "float32"),
  };
}
