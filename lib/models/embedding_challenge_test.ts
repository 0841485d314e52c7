// Kata 03's challenge (step 7) rejects the shortcuts a learner might try: each design below cheats in one
// way, and the challenge's own check for that way (katas/03-embedding-cost/test_setup.ts) must fail on it.
// The kata's challenge_test.ts runs the same checks on the learner's design; the reference passes them.
import * as tf from "@tensorflow/tfjs";
import { assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { createRng, seedEverything } from "../core/random.ts";
import type { TokenBatch } from "../data/token_batches.ts";
import {
  buildEmbeddingLstm,
  buildLstmHead,
  classifierLoss,
  trainableVariables,
  trainStep,
} from "./text_classifier.ts";
import {
  CHALLENGE,
  type ChallengeSetup,
  type ScalableClassifier,
} from "../../katas/03-embedding-cost/contract.ts";
import {
  assertCostWithinBudget,
  assertHonestLoss,
  assertMemoryWithinBudget,
  assertNoLeaks,
  assertOwnVectors,
  assertTrainsTheBatchWords,
  type ChallengeBuilder,
  measureChallenge,
} from "../../katas/03-embedding-cost/test_setup.ts";

await initBackend();
const SEED = 1;

/** Runs `f` with `Math.random` seeded, then puts the previous generator back. */
function seeded<T>(seed: number, f: () => T): T {
  const previous = Math.random;
  seedEverything(seed);
  try {
    return f();
  } finally {
    Math.random = previous;
  }
}

/** The classify function of a head `[batch, seqLen, width]` → logit. */
function classifyWith(head: tf.LayersModel, seqLen: number) {
  return (embedded: Float32Array, batchSize: number) =>
    tf.tidy(() => {
      const width = embedded.length / batchSize / seqLen;
      return (head.predict(tf.tensor3d(embedded, [batchSize, seqLen, width])) as tf.Tensor)
        .dataSync() as Float32Array;
    });
}

/** A whole tfjs classifier (a trainable or frozen Embedding in front of the LSTM), trained by `optimizer`. */
function tfjsDesign(
  optimizer: () => tf.Optimizer,
  trainableEmbedding = true,
  pad?: (vocab: number) => number,
) {
  return (setup: ChallengeSetup): ScalableClassifier => {
    const { vocab, embeddingDim, units, seqLen, seed } = setup;
    const model = seeded(
      seed,
      () => buildEmbeddingLstm({ vocab, embeddingDim, units, seqLen, trainableEmbedding }),
    );
    const table = model.getLayer("embedding").weights[0].read() as tf.Variable;
    const input = tf.input({ shape: [seqLen, embeddingDim] });
    const logit = model.getLayer("logit").apply(model.getLayer("lstm").apply(input)) as tf.SymbolicTensor;
    const head = tf.model({ inputs: input, outputs: logit });
    const opt = optimizer();
    const junk = pad?.(vocab) ?? 0;
    return {
      trainStep(batch) {
        if (junk > 0) tf.tidy(() => void tf.fill([junk], 1).add(1)); // bytes written for nothing
        return trainStep(model, opt, batch);
      },
      embed: (ids) => tf.tidy(() => tf.gather(table, tf.tensor1d(ids, "int32")).dataSync() as Float32Array),
      classify: classifyWith(head, seqLen),
      state: () => [],
      dispose() {
        model.dispose();
        opt.dispose();
      },
    };
  };
}

/** What a cheating lazy design does differently from an honest one. */
interface LazyCheat {
  /** Words share rows: word id → row (default: its own row). */
  rows?: number;
  /** How a row's gradient moves it (default: SGD). */
  move?: "gradient" | "random";
  /** Hide the table from `state()`. */
  hideState?: boolean;
  /** Return this instead of the loss. */
  loss?: number;
  /** From this call of `trainStep` on (1 = the first), write a table-sized buffer for nothing. */
  junkFromCall?: number;
  /** `dispose()` frees nothing. */
  keepOnDispose?: boolean;
}

/** The table in a plain array, the batch's rows trained by their gradient (sparse SGD): honest unless `cheat` says. */
function lazyDesign(cheat: LazyCheat = {}) {
  return (setup: ChallengeSetup): ScalableClassifier => {
    const { vocab, embeddingDim: dim, units, seqLen, seed } = setup;
    const rows = cheat.rows ?? vocab;
    const rng = createRng(seed);
    const table = Float32Array.from({ length: rows * dim }, () => rng.uniform() * 0.1 - 0.05);
    const head = seeded(seed, () => buildLstmHead({ embeddingDim: dim, units, seqLen }));
    const optimizer: tf.Optimizer = tf.train.adam(0.01);
    const rowOf = (id: number) => id % rows;
    let calls = 0;
    return {
      trainStep(batch: TokenBatch) {
        if (++calls >= (cheat.junkFromCall ?? Infinity)) tf.tidy(() => void tf.fill([vocab * dim], 1).add(1));
        const unique = [...new Set(Array.from(batch.ids, rowOf))];
        const position = new Map(unique.map((row, i) => [row, i]));
        const values = new Float32Array(unique.length * dim);
        unique.forEach((row, i) => values.set(table.subarray(row * dim, (row + 1) * dim), i * dim));
        const weights = tf.tidy(() => tf.variable(tf.tensor2d(values, [unique.length, dim])));
        const local = tf.tensor1d(Int32Array.from(batch.ids, (id) => position.get(rowOf(id))!), "int32");
        const labels = tf.tensor2d(batch.labels, [batch.batchSize, 1]);
        const variables = trainableVariables(head);
        const { value, grads } = tf.variableGrads(() => {
          const x = tf.gather(weights, local).reshape([batch.batchSize, seqLen, dim]);
          return classifierLoss(head.apply(x, { training: true }) as tf.Tensor, labels);
        }, [weights, ...variables]);
        optimizer.applyGradients(Object.fromEntries(variables.map((v) => [v.name, grads[v.name]])));
        const g = grads[weights.name].dataSync();
        unique.forEach((row, i) => {
          for (let j = 0; j < dim; j++) {
            table[row * dim + j] -= cheat.move === "random"
              ? (rng.uniform() - 0.5) * 0.02
              : 0.5 * g[i * dim + j];
          }
        });
        const loss = value.dataSync()[0];
        tf.dispose([value, ...Object.values(grads), weights, local, labels]);
        return cheat.loss ?? loss;
      },
      embed(ids) {
        const out = new Float32Array(ids.length * dim);
        ids.forEach((id, i) => out.set(table.subarray(rowOf(id) * dim, (rowOf(id) + 1) * dim), i * dim));
        return out;
      },
      classify: classifyWith(head, seqLen),
      state: () => cheat.hideState ? [] : [table],
      dispose() {
        if (cheat.keepOnDispose) return;
        head.dispose();
        optimizer.dispose();
      },
    };
  };
}

/** The checks of one run hold at any size: the cheats they catch are measured at 20,000 words only. */
const measureSmall = (build: ChallengeBuilder) => measureChallenge(build, CHALLENGE.baselineVocab, SEED);
const measureBoth = async (build: ChallengeBuilder) => ({
  small: await measureChallenge(build, CHALLENGE.baselineVocab, SEED),
  large: await measureChallenge(build, CHALLENGE.vocab, SEED),
});

describe("kata 03's challenge rejects each shortcut", () => {
  // First: the wasm heap only grows, so a design that needs a large heap must be the first to ask for it.
  it("dense Adam on a trainable table: over the cost and the memory budget", async () => {
    const { small, large } = await measureBoth(tfjsDesign(() => tf.train.adam(0.01)));
    assertThrows(() => assertCostWithinBudget(small, large), Error, "more than one 64.00 MB table");
    assertThrows(() => assertMemoryWithinBudget(large), Error, "the budget is 4 tables");
  });

  it("dense SGD whose 20,000-word step writes junk to flatter the ratio: over the one-table cap", async () => {
    const padded = tfjsDesign(() => tf.train.sgd(0.5), true, (vocab) => vocab < CHALLENGE.vocab ? 40e6 : 0);
    const { small, large } = await measureBoth(padded);
    assertThrows(() => assertCostWithinBudget(small, large), Error, "more than one 64.00 MB table");
  });

  it("a frozen table and a trained head: the batch's words are not trained", async () => {
    const run = await measureSmall(tfjsDesign(() => tf.train.adam(0.01), false));
    assertThrows(() => assertTrainsTheBatchWords(run), Error, "kept their vector");
  });

  it("rows that move at random, not along their gradient: not downhill", async () => {
    const run = await measureSmall(lazyDesign({ move: "random" }));
    assertThrows(
      () => assertTrainsTheBatchWords(run),
      Error,
      "did not follow the loss's gradient",
    );
  });

  it("rows shared by many words (a vocabulary shrunk to 1,000 rows): words without a vector of their own", async () => {
    const run = await measureSmall(lazyDesign({ rows: 1000 }));
    assertThrows(() => assertOwnVectors(run), Error, "share their whole vector");
  });

  it("a made-up loss: not the loss of the model trained", async () => {
    const run = await measureSmall(lazyDesign({ loss: 0.5 }));
    assertThrows(() => assertHonestLoss(run), Error, "trainStep returned 0.5");
  });

  it("the table hidden from state(): the test sees less than one float per word", async () => {
    const { large } = await measureBoth(lazyDesign({ hideState: true }));
    assertThrows(() => assertMemoryWithinBudget(large), Error, "less than one float per word");
  });

  it("a table-sized write in every step after the first measured one: over the cap at a later step", async () => {
    // Calls: 1 warm-up, 2 the first measured step (whose cost alone was counted before), 3 and 4 later.
    const { small, large } = await measureBoth(lazyDesign({ junkFromCall: 3 }));
    assertThrows(() => assertCostWithinBudget(small, large), Error, "measured step 2 at 1000000 words");
  });

  it("a dispose() that frees nothing: the head and its optimizer are left behind", async () => {
    const run = await measureSmall(lazyDesign({ keepOnDispose: true }));
    assertThrows(() => assertNoLeaks(run), Error, "after dispose()");
  });

  it("an honest sparse SGD on the batch's rows passes every check", async () => {
    const { small, large } = await measureBoth(lazyDesign());
    assertCostWithinBudget(small, large);
    assertMemoryWithinBudget(large);
    for (const run of [small, large]) {
      assertTrainsTheBatchWords(run);
      assertOwnVectors(run);
      assertHonestLoss(run);
      assertNoLeaks(run);
    }
  });
});
