/**
 * Kata 03's contract: the types and constants the stub, the reference solution and the tests
 * share, declared once. Test support, not a file to edit: a submission's `./contract.ts`
 * resolves to this file.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { TokenBatch } from "@lib/data/token_batches.ts";
import { deepFreeze } from "@lib/core/freeze.ts";

/** Element types a table can be stored in (step 1). */
export type DType = "float64" | "float32" | "float16" | "bfloat16" | "int8";

/** The bytes a training step with Adam holds for one table (step 1). */
export interface AdamMemory {
  /** The table itself. */
  weights: number;
  /** Its gradient, as tfjs materialises it: one value per table entry. */
  gradient: number;
  /** Adam's running mean of the gradient (m), one per entry. */
  firstMoment: number;
  /** Adam's running mean of the squared gradient (v), one per entry. */
  secondMoment: number;
  /** The sum of the four. */
  total: number;
}

/** Which rows of a table and of its optimizer state one step changed (step 3). */
export interface Footprint {
  /**
   * Changed rows (ascending) of each array: `"table"` for the weights, and one entry per
   * optimizer slot of the table named by the slot's suffix (Adam: `"m"` and `"v"`).
   */
  rows: Record<string, number[]>;
  /** Bytes of the changed rows, summed over the arrays (4 bytes per float32). */
  bytesChanged: number;
}

/** Adam's hyper-parameters (step 4). */
export interface AdamConfig {
  /** Step size. */
  learningRate: number;
  /** Decay of the first moment (mean of the gradient). */
  beta1: number;
  /** Decay of the second moment (mean of the squared gradient). */
  beta2: number;
  /** Added to the root of the second moment. */
  epsilon: number;
}

/** tfjs's defaults for `tf.train.adam()` on a float32 backend (step 4). */
export const DEFAULT_ADAM: AdamConfig = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
deepFreeze(DEFAULT_ADAM); // graded code cannot change the rules the tests read

/** What a lazy optimizer holds for an embedding table kept outside tfjs (step 4: `LazyAdam`). */
export interface LazyEmbedding {
  /** The table, `vocab × dim` row-major; updated in place. */
  readonly table: Float32Array;
  /** First moments, same layout as the table. */
  readonly m: Float32Array;
  /** Second moments, same layout as the table. */
  readonly v: Float32Array;
  /** Width of a row. */
  readonly dim: number;
  /** Rows in the table. */
  readonly vocab: number;
  /** Number of updates applied so far. */
  readonly iterations: number;
  /** One optimizer step on `rows` (distinct) with their gradients (`rows.length × dim`, row-major). */
  update(rows: ArrayLike<number>, grads: Float32Array): void;
}

/** The lazy design: the table in a lazy optimizer, the rest of the network in tfjs (step 4). */
export interface LazyClassifier {
  /** The embedding table and its lazy optimizer. */
  embedding: LazyEmbedding;
  /** Embedded sequences `[batch, seqLen, dim]` → logit, e.g. `buildLstmHead` from `@lib/models/text_classifier.ts`. */
  head: tf.LayersModel;
  /** Updates the head's weights (they are small: any dense optimizer). */
  headOptimizer: tf.Optimizer;
}

/** The name of the frozen (pretrained) embedding layer (step 5). */
export const FROZEN_LAYER = "frozen_embedding";
/** The name of the small trainable embedding layer (step 5). */
export const SMALL_LAYER = "small_embedding";

/** What `buildFrozenPlusSmall` builds (step 5). */
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

/** The sizes of the challenge's classifier (step 7); the vocabulary is 20,000 or 1,000,000 words. */
export interface ChallengeSetup {
  /** Words in the vocabulary: ids are `0 … vocab − 1`, id 0 the most frequent. */
  vocab: number;
  /** Width of a word's vector. */
  embeddingDim: number;
  /** LSTM units. */
  units: number;
  /** Tokens per sequence. */
  seqLen: number;
  /** Seed for the initial weights (the same seed must build the same model). */
  seed: number;
}

/** The challenge's sizes and budget (step 7). */
export const CHALLENGE = {
  /** The vocabulary the step must handle. */
  vocab: 1_000_000,
  /** The vocabulary whose step is the reference cost. */
  baselineVocab: 20_000,
  /** Width of a word's vector: one table of 1,000,000 words is 64 MB of float32. */
  embeddingDim: 16,
  /** LSTM units. */
  units: 8,
  /** Tokens per sequence. */
  seqLen: 10,
  /** Sequences per batch. */
  batchSize: 32,
  /** A 1,000,000-word step may write at most this many times the bytes of a 20,000-word step. */
  costRatio: 2,
  /** Memory at 1,000,000 words, in tables of `vocab × embeddingDim` float32: at most four. */
  memoryTables: 4,
} as const;
deepFreeze(CHALLENGE); // graded code cannot change the rules the tests read

/** A text classifier whose training step the challenge measures (step 7). */
export interface ScalableClassifier {
  /**
   * One training step on `batch` (ids `batchSize × seqLen`, labels 0/1); returns the loss
   * before the step, `classifierLoss` of `classify(embed(batch.ids), batch.batchSize)`.
   */
  trainStep(batch: TokenBatch): number;
  /** Each id's vector, as the classifier feeds it to its head: `ids.length × width`, row-major. */
  embed(ids: Int32Array): Float32Array;
  /**
   * The logits (one per sequence) of embedded sequences, `batchSize × seqLen × width`
   * row-major as {@linkcode ScalableClassifier.embed} returns them; no training, no dropout.
   */
  classify(embedded: Float32Array, batchSize: number): Float32Array;
  /**
   * Every array outside tfjs that a training step may change (tables, optimizer state);
   * `[]` when all state lives in tfjs tensors. The challenge counts what changes in them, and
   * cannot see an array you leave out: list every one.
   */
  state(): Float32Array[];
  /** Frees every tensor the classifier made (its head, its optimizer's state): the challenge checks. */
  dispose(): void;
}
