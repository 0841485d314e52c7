import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { measured } from "@lib/testing/measure.ts";
import { oncePer } from "@lib/testing/once.ts";
import { seedEverything } from "@lib/core/random.ts";
import { CHALLENGE } from "./contract.ts";
import { buildScalableClassifier } from "./challenge.ts";
import {
  assertCostWithinBudget,
  assertHonestLoss,
  assertMemoryWithinBudget,
  assertNoLeaks,
  assertOwnVectors,
  assertTrainsTheBatchWords,
  bitsOf,
  measureChallenge,
  SEED,
} from "./test_setup.ts";

await initBackend();
seedEverything(SEED);

/** The learner's design measured at each size, on batches the test draws (their seed is not `setup.seed`). */
const run = oncePer((vocab: number) => measureChallenge(buildScalableClassifier, vocab));
/** Both sizes, the small one first (the wasm heap only grows: its growth at 1,000,000 words is then the large design's). */
const both = async () => ({ small: await run(CHALLENGE.baselineVocab), large: await run(CHALLENGE.vocab) });

describe("kata 03, step 7: a million words (challenge)", () => {
  it("every training step at 1,000,000 words writes at most twice the bytes of one at 20,000 words", async () => {
    const { small, large } = await both();
    // observed 1–1.02 for the reference (seeds 1–20), 1.17–1.18 MB per step; the target is ≤ 2
    measured("challenge: bytes written, 1,000,000 ÷ 20,000 words", large.bytes / small.bytes);
    measured("MB written per step at 1,000,000 words (challenge)", large.bytes / 1e6);
    // every measured step counts: the costliest one at 1,000,000 words against the costliest at 20,000;
    // observed 1.008–1.016 for the reference (seeds 1–20); each step is held to the same target (≤ 2)
    measured(
      "challenge: costliest measured step, 1,000,000 ÷ 20,000 words",
      Math.max(...large.stepBytes) / Math.max(...small.stepBytes),
    );
    assertCostWithinBudget(small, large);
  });

  it("the 1,000,000-word design fits in four tables of memory", async () => {
    const { large } = await both();
    // observed 3 tables for the reference at every seed (table, m and v); the budget is 4
    measured("memory at 1,000,000 words, in tables (challenge)", large.memoryBytes / large.tableBytes);
    assertMemoryWithinBudget(large);
  });

  it("every step trains the vectors of its batch's words, downhill on the loss, at both sizes", async () => {
    const { small, large } = await both();
    // observed 0.958–1 for the reference (seeds 1–20); asserted ≥ DOWNHILL_AT_LEAST (0.7), see test_setup.ts
    measured("share of sequences helped by the step's change (challenge)", large.downhillShare);
    for (const result of [small, large]) assertTrainsTheBatchWords(result);
  });

  it("every word keeps a vector of its own", async () => {
    const { small, large } = await both();
    for (const result of [small, large]) assertOwnVectors(result);
  });

  it("trainStep returns the loss of the classifier it trains; neither a step nor dispose() leaves tensors behind", async () => {
    const { small, large } = await both();
    for (const result of [small, large]) {
      assertHonestLoss(result);
      assertNoLeaks(result);
    }
  });

  it("the same seed builds the same classifier, another seed another", () => {
    const { baselineVocab: vocab, embeddingDim, units, seqLen } = CHALLENGE;
    const ids = Int32Array.from([0, 1, 17, 4_321, vocab - 1]);
    const vectors = (seed: number) => {
      const model = buildScalableClassifier({ vocab, embeddingDim, units, seqLen, seed });
      try {
        const embedded = model.embed(ids);
        assert(
          embedded.length > 0 && embedded.length % ids.length === 0,
          `embed(${ids.length} ids) returned ${embedded.length} numbers, not a whole vector per id`,
        );
        const logits = model.classify(new Float32Array(seqLen * embedded.length / ids.length).fill(0.01), 1);
        return [...bitsOf(embedded), ...bitsOf(logits)];
      } finally {
        model.dispose();
      }
    };
    assertEquals(vectors(SEED + 1), vectors(SEED + 1), "two classifiers built with the same seed");
    assertNotEquals(vectors(SEED + 1), vectors(SEED + 2), "classifiers built with different seeds");
  });
});
