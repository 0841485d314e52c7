import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import { createRng, kataSeed, seedEverything } from "@lib/core/random.ts";
import { buildEmbeddingLstm, buildLstmHead, embeddingTable, trainStep } from "@lib/models/text_classifier.ts";
import { randomTokenBatch, vocabularyEpoch } from "@lib/data/token_batches.ts";
import { buildFrozenPlusSmall, FROZEN_LAYER, SMALL_LAYER } from "./frozen.ts";
import { LazyAdam, lazyTrainStep } from "./lazy_adam.ts";
import { changedRows, kernelElements, stepFootprint } from "./step_cost.ts";

await initBackend();
const SEED = kataSeed();
seedEverything(SEED);
const rng = createRng(SEED);

const VOCABS = [250, 500, 1000] as const;
const DIM = 8;
const SHAPE = { embeddingDim: DIM, units: 4, seqLen: 10 };
const ADAM = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const adam = () => tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
/** The measured batch, the same at every vocabulary size (its ids are below the smallest). */
const BATCH = randomTokenBatch(rng, { batchSize: 8, seqLen: 10, vocab: VOCABS[0] });
const DISTINCT = new Set(BATCH.ids).size;

interface Measurement {
  /** Bytes of the embedding's state (table and optimizer slots) that one step changed. */
  bytesChanged: number;
  /** Elements written by tfjs kernels in one step. */
  elements: number;
}

/** Dense tfjs Adam, after one epoch in which every word appeared. */
const denseAdam = new Map(VOCABS.map((vocab) => [
  vocab,
  once(async () => {
    const model = buildEmbeddingLstm({ vocab, ...SHAPE });
    const optimizer = adam();
    for (const batch of vocabularyEpoch(rng, { batchSize: 100, seqLen: 10, vocab })) {
      trainStep(model, optimizer, batch);
    }
    const footprint = await stepFootprint(
      () => trainStep(model, optimizer, BATCH),
      embeddingTable(model),
      optimizer,
    );
    const elements = await kernelElements(() => trainStep(model, optimizer, BATCH));
    return { footprint, elements };
  }),
]));

/** Plain SGD, after one step. */
const sgd = new Map(VOCABS.map((vocab) => [
  vocab,
  once(async (): Promise<Measurement> => {
    const model = buildEmbeddingLstm({ vocab, ...SHAPE });
    const optimizer = tf.train.sgd(0.1);
    trainStep(model, optimizer, BATCH);
    const footprint = await stepFootprint(
      () => trainStep(model, optimizer, BATCH),
      embeddingTable(model),
      optimizer,
    );
    return {
      bytesChanged: footprint.bytesChanged,
      elements: await kernelElements(() => trainStep(model, optimizer, BATCH)),
    };
  }),
]));

/** The frozen pretrained table next to a small trainable one, with Adam, after one step. */
const frozen = new Map(VOCABS.map((vocab) => [
  vocab,
  once(async () => {
    const pretrained = tf.randomUniform([vocab, DIM], -0.05, 0.05) as tf.Tensor2D;
    const model = buildFrozenPlusSmall({ pretrained, smallVocab: 50, smallDim: 4, units: 4, seqLen: 10 });
    const optimizer = adam();
    trainStep(model, optimizer, BATCH);
    const step = () => trainStep(model, optimizer, BATCH);
    const big = await stepFootprint(step, embeddingTable(model, FROZEN_LAYER), optimizer);
    const small = await stepFootprint(step, embeddingTable(model, SMALL_LAYER), optimizer);
    return { big, small, elements: await kernelElements(step) };
  }),
]));

/** The lazy design, after one step. */
const lazy = new Map(VOCABS.map((vocab) => [
  vocab,
  once(async (): Promise<Measurement> => {
    const table = Float32Array.from({ length: vocab * DIM }, () => rng.uniform() * 0.1 - 0.05);
    const model = {
      embedding: new LazyAdam(table, DIM, ADAM),
      head: buildLstmHead(SHAPE),
      headOptimizer: adam(),
    };
    lazyTrainStep(model, BATCH);
    const { embedding } = model;
    const before = [embedding.table.slice(), embedding.m.slice(), embedding.v.slice()];
    lazyTrainStep(model, BATCH);
    const after = [embedding.table, embedding.m, embedding.v];
    const rows = before.reduce((sum, array, i) => sum + changedRows(array, after[i], DIM).length, 0);
    return {
      bytesChanged: rows * DIM * 4,
      elements: await kernelElements(() => lazyTrainStep(model, BATCH)),
    };
  }),
]));

async function all<T>(rigs: Map<number, () => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (const vocab of VOCABS) results.push(await rigs.get(vocab)!());
  return results;
}

/** Extra kernel elements per extra word, in units of one table row (DIM elements), for 250→500 and 500→1000. */
function slopes(elements: number[]): [number, number] {
  const rows = (i: number) => (elements[i + 1] - elements[i]) / (VOCABS[i + 1] - VOCABS[i]) / DIM;
  return [rows(0), rows(1)];
}

describe("kata 03, step 6: cost against vocabulary", () => {
  it("after one epoch, every dense Adam step rewrites the whole table and both moments", async () => {
    const results = await all(denseAdam);
    results.forEach(({ footprint }, i) => {
      const vocab = VOCABS[i];
      const counts = Object.fromEntries(
        Object.entries(footprint.rows).map(([name, rows]) => [name, rows.length]),
      );
      assertEquals(
        counts,
        { table: vocab, m: vocab, v: vocab },
        `rows changed by one Adam step at ${vocab} words`,
      );
      assertEquals(footprint.bytesChanged, 3 * vocab * DIM * 4, `bytes changed at ${vocab} words`);
    });
  });

  it("SGD, lazy Adam and the frozen design change the same number of bytes at every vocabulary size", async () => {
    for (const [i, { bytesChanged }] of (await all(sgd)).entries()) {
      assertEquals(
        bytesChanged,
        DISTINCT * DIM * 4,
        `SGD at ${VOCABS[i]} words: ${DISTINCT} rows, no optimizer state`,
      );
    }
    const lazyResults = await all(lazy);
    for (const [i, { bytesChanged }] of lazyResults.entries()) {
      assertEquals(
        bytesChanged,
        3 * DISTINCT * DIM * 4,
        `lazy Adam at ${VOCABS[i]} words: 3 arrays × ${DISTINCT} rows`,
      );
    }
    const frozenResults = await all(frozen);
    for (const [i, { big, small }] of frozenResults.entries()) {
      assertEquals(big.bytesChanged, 0, `the frozen table changed at ${VOCABS[i]} words`);
      assertEquals(
        small.bytesChanged,
        frozenResults[0].small.bytesChanged,
        `small table's bytes at ${VOCABS[i]} words`,
      );
    }
  });

  it("dense Adam's kernels compute over ten table-sized tensors per step, SGD's several, growing linearly", async () => {
    const adamSlopes = slopes((await all(denseAdam)).map((r) => r.elements));
    const sgdSlopes = slopes((await all(sgd)).map((r) => r.elements));
    // observed 17 and 5 tables per step, identical over seeds 1–10 (wasm and cpu); asserted > 10 and > 3
    measured("dense adam: table-sized tensors per step", adamSlopes[0]);
    measured("sgd: table-sized tensors per step", sgdSlopes[0]);
    for (const [name, [a, b], least] of [["dense Adam", adamSlopes, 10], ["SGD", sgdSlopes, 3]] as const) {
      assert(
        a > least,
        `${name}: each extra word should add > ${least} rows of kernel output per step, got ${a}`,
      );
      assert(
        Math.abs(a - b) <= 0.01 * a,
        `${name}: the growth should be linear, got ${a} then ${b} rows per word`,
      );
    }
  });

  it("the lazy step's kernel work is the same at every size; the frozen design's grows by one table copy at most", async () => {
    const lazyElements = (await all(lazy)).map((r) => r.elements);
    assertEquals(
      lazyElements,
      VOCABS.map(() => lazyElements[0]),
      "lazy step: kernel elements at 250, 500, 1000 words",
    );
    const frozenSlopes = slopes((await all(frozen)).map((r) => r.elements));
    // observed exactly 1 (tfjs keeps a copy of gather's input for the backward pass), seeds 1–10
    measured("frozen: table-sized tensors per step", frozenSlopes[0]);
    assert(
      frozenSlopes.every((s) => s >= 0 && s <= 1),
      `frozen design: at most one table-sized tensor per step, got ${frozenSlopes.join(", ")} rows per word`,
    );
  });
});
