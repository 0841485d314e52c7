/**
 * Kata 03, step 7 (reference): the challenge solved one honest way, with step 4's lazy Adam.
 * The table and its moments live in plain arrays outside tfjs; a step copies in the rows of
 * the batch's words, and only those rows (and their moments) change. Nothing in the step is
 * the size of the table, so it costs the same at 20,000 and 1,000,000 words.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng, seedEverything } from "@lib/core/random.ts";
import { buildLstmHead } from "@lib/models/text_classifier.ts";
import type { TokenBatch } from "@lib/data/token_batches.ts";
import type { ChallengeSetup, ScalableClassifier } from "./contract.ts";
import { LazyAdam, lazyTrainStep } from "./lazy_adam.ts";

export { CHALLENGE, type ChallengeSetup, type ScalableClassifier } from "./contract.ts";

/** Adam for the rows and the head; 0.01 learns within a few dozen steps at these sizes. */
const ADAM = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/**
 * Step 7. A lazy-Adam table (`vocab × embeddingDim`, uniform in ±0.05 from `seed`) in front
 * of an LSTM head (initialised from `seed` too).
 */
export function buildScalableClassifier(setup: ChallengeSetup): ScalableClassifier {
  const { vocab, embeddingDim, units, seqLen, seed } = setup;
  const rng = createRng(seed);
  const table = new Float32Array(vocab * embeddingDim);
  for (let i = 0; i < table.length; i++) table[i] = rng.uniform() * 0.1 - 0.05;
  const previous = Math.random;
  seedEverything(seed);
  let head: tf.LayersModel;
  try {
    head = buildLstmHead({ embeddingDim, units, seqLen });
  } finally {
    Math.random = previous;
  }
  const model = {
    embedding: new LazyAdam(table, embeddingDim, ADAM),
    head,
    headOptimizer: tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon),
  };
  return {
    trainStep: (batch: TokenBatch) => lazyTrainStep(model, batch),
    embed(ids) {
      const vectors = new Float32Array(ids.length * embeddingDim);
      ids.forEach((id, i) =>
        vectors.set(table.subarray(id * embeddingDim, (id + 1) * embeddingDim), i * embeddingDim)
      );
      return vectors;
    },
    classify(embedded, batchSize) {
      return tf.tidy(() => {
        const x = tf.tensor3d(embedded, [batchSize, seqLen, embeddingDim]);
        return (head.predict(x) as tf.Tensor).dataSync() as Float32Array;
      });
    },
    state: () => [model.embedding.table, model.embedding.m, model.embedding.v],
    dispose() {
      head.dispose();
      model.headOptimizer.dispose();
    },
  };
}
