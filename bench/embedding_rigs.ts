/**
 * The four training designs kata 03 compares, built at any vocabulary size, for the
 * benchmark (`embedding_step_bench.ts`) and its table (`embedding_table.ts`).
 *
 * The classifier is Embedding(vocab, 64) → LSTM(32) → Dense(1), sequences of 20 tokens,
 * batches of 32 (640 ids, about 640 distinct at these vocabularies):
 *
 * - `adam`: the table trains with tfjs's Adam (dense: every row, every step).
 * - `sgd`: the table trains with tfjs's plain SGD.
 * - `lazy`: the table lives in a `LazyAdam` (kata 03's reference), outside tfjs; only the
 *   batch's rows are copied in, and only they are updated.
 * - `frozen`: the table is frozen (`trainable: false`) next to a trainable 10,000 × 16 one.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "@lib/core/random.ts";
import { buildEmbeddingLstm, buildLstmHead, trainStep } from "@lib/models/text_classifier.ts";
import { randomTokenBatch, type TokenBatch } from "@lib/data/token_batches.ts";
import { buildFrozenPlusSmall } from "../solutions/03-embedding-cost/frozen.ts";
import { LazyAdam, lazyTrainStep } from "../solutions/03-embedding-cost/lazy_adam.ts";

/** The designs, in the order the table shows them. */
export const DESIGNS = ["adam", "sgd", "lazy", "frozen"] as const;
/** One of {@linkcode DESIGNS}. */
export type Design = typeof DESIGNS[number];

/** What each design is, for table headers. */
export const DESIGN_LABELS: Record<Design, string> = {
  adam: "Adam, trainable table",
  sgd: "SGD, trainable table",
  lazy: "lazy Adam (rows of the batch)",
  frozen: "frozen table + 10k×16 trainable, Adam",
};

/** The benchmark's sizes (the preliminary measurements used the same). */
export const BENCH = {
  embeddingDim: 64,
  units: 32,
  seqLen: 20,
  batchSize: 32,
  smallVocab: 10_000,
  smallDim: 16,
};

/** A design built at one vocabulary size. */
export interface Rig {
  /** One training step on the next batch; returns its loss (so the step has finished). */
  step(): number;
  /** Frees its tensors. */
  dispose(): void;
}

function uniformTable(rows: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const table = new Float32Array(rows * dim);
  for (let i = 0; i < table.length; i++) table[i] = rng.uniform() * 0.1 - 0.05;
  return table;
}

/**
 * Builds `design` at `vocab` words.
 *
 * @param design Which design.
 * @param vocab Rows of the (large) embedding table.
 * @param seed Seed for the batches and the lazy/frozen tables.
 * @returns The rig.
 */
export function buildRig(design: Design, vocab: number, seed = 1): Rig {
  const { embeddingDim, units, seqLen, batchSize, smallVocab, smallDim } = BENCH;
  const rng = createRng(seed);
  const batches: TokenBatch[] = Array.from(
    { length: 8 },
    () => randomTokenBatch(rng, { batchSize, seqLen, vocab }),
  );
  let next = 0;
  const nextBatch = () => batches[next++ % batches.length];
  if (design === "lazy") {
    const model = {
      embedding: new LazyAdam(uniformTable(vocab, embeddingDim, seed), embeddingDim),
      head: buildLstmHead({ embeddingDim, units, seqLen }),
      headOptimizer: tf.train.adam(),
    };
    return {
      step: () => lazyTrainStep(model, nextBatch()),
      dispose: () => {
        model.head.dispose();
        model.headOptimizer.dispose();
      },
    };
  }
  let model: tf.LayersModel;
  if (design === "frozen") {
    const pretrained = tf.tensor2d(uniformTable(vocab, embeddingDim, seed), [vocab, embeddingDim]);
    model = buildFrozenPlusSmall({ pretrained, smallVocab, smallDim, units, seqLen });
    pretrained.dispose();
  } else {
    model = buildEmbeddingLstm({ vocab, embeddingDim, units, seqLen });
  }
  const optimizer = design === "sgd" ? tf.train.sgd(0.1) : tf.train.adam();
  return {
    step: () => trainStep(model, optimizer, nextBatch()),
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/** The most the wasm backend's heap can grow to (tfjs-backend-wasm 4.22's Emscripten build: 4 GiB − 64 KiB). */
export const WASM_HEAP_BYTES = 4_294_901_760;

/**
 * The peak bytes of live tensors during one step of `design` at `vocab` words, as
 * `tf.profile` reports it (weights, optimizer state and the step's temporaries; the lazy
 * design's table is a plain array and not included).
 *
 * @param design Which design.
 * @param vocab Rows of the table.
 * @returns Peak tensor bytes.
 */
export async function stepPeakBytes(design: Design, vocab: number): Promise<number> {
  const rig = buildRig(design, vocab);
  try {
    rig.step();
    return (await tf.profile(() => {
      rig.step();
    })).peakBytes;
  } finally {
    rig.dispose();
  }
}

/**
 * Predicts {@linkcode stepPeakBytes} at any vocabulary from two small ones (it grows
 * linearly with the vocabulary), so a size that cannot fit is not attempted.
 *
 * @param design Which design.
 * @param small Two small vocabularies to measure.
 * @returns The predicted peak tensor bytes as a function of the vocabulary.
 */
export async function peakBytesModel(
  design: Design,
  small: [number, number] = [20_000, 40_000],
): Promise<(vocab: number) => number> {
  const [a, b] = [await stepPeakBytes(design, small[0]), await stepPeakBytes(design, small[1])];
  return (vocab) => a + (b - a) / (small[1] - small[0]) * (vocab - small[0]);
}
