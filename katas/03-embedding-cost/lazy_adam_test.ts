import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { once } from "@lib/testing/once.ts";
import { createRng, kataSeed, seedEverything } from "@lib/core/random.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { buildEmbeddingLstm, buildLstmHead, embeddingTable, trainStep } from "@lib/models/text_classifier.ts";
import { randomTokenBatch, type TokenBatch } from "@lib/data/token_batches.ts";
import { type AdamConfig, LazyAdam, lazyTrainStep } from "./lazy_adam.ts";

await initBackend();
const SEED = kataSeed();
seedEverything(SEED);
const rng = createRng(SEED);

const CONFIG: AdamConfig = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const distinct = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

/** Rows (ascending) whose float32 bits differ: written here so this file checks LazyAdam alone. */
function differingRows(before: Float32Array, after: Float32Array, dim: number): number[] {
  const a = new Uint32Array(before.buffer, before.byteOffset, before.length);
  const b = new Uint32Array(after.buffer, after.byteOffset, after.length);
  const rows = new Set<number>();
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) rows.add(Math.floor(i / dim));
  return [...rows].sort((x, y) => x - y);
}

/** A sequence of sparse updates on a 50 × 4 table: distinct random rows, random gradients. */
function sparseUpdates(count: number): { rows: number[]; grads: Float32Array }[] {
  return Array.from({ length: count }, () => {
    const rows = rng.shuffle(Array.from({ length: 50 }, (_, i) => i)).slice(0, 3 + rng.int(8));
    return { rows, grads: Float32Array.from({ length: rows.length * 4 }, () => rng.normal() * 0.1) };
  });
}

function randomTable(rows: number, dim: number): Float32Array {
  return Float32Array.from({ length: rows * dim }, () => rng.uniform() * 0.1 - 0.05);
}

describe("kata 03, step 4: a lazy Adam", () => {
  it("leaves every row outside the update bit-identical, its moments included", () => {
    const lazy = new LazyAdam(randomTable(50, 4), 4, CONFIG);
    for (const { rows, grads } of sparseUpdates(6)) {
      const before = [lazy.table.slice(), lazy.m.slice(), lazy.v.slice()];
      lazy.update(rows, grads);
      const expected = distinct(rows);
      assertEquals(
        differingRows(before[0], lazy.table, 4),
        expected,
        `table rows changed by update(${rows})`,
      );
      assertEquals(
        differingRows(before[1], lazy.m, 4),
        expected,
        `first-moment rows changed by update(${rows})`,
      );
      assertEquals(
        differingRows(before[2], lazy.v, 4),
        expected,
        `second-moment rows changed by update(${rows})`,
      );
    }
  });

  it("moves the updated rows exactly as Adam's formula says, with bias correction by the update count", () => {
    const table = randomTable(50, 4);
    const w = Float64Array.from(table);
    const m = new Float64Array(w.length);
    const v = new Float64Array(w.length);
    const lazy = new LazyAdam(table.slice(), 4, CONFIG);
    const { learningRate: lr, beta1, beta2, epsilon } = CONFIG;
    const updates = sparseUpdates(8);
    updates.forEach(({ rows, grads }, step) => {
      lazy.update(rows, grads);
      const t = step + 1;
      rows.forEach((row, i) => {
        for (let j = 0; j < 4; j++) {
          const k = row * 4 + j;
          const g = grads[i * 4 + j];
          m[k] = beta1 * m[k] + (1 - beta1) * g;
          v[k] = beta2 * v[k] + (1 - beta2) * g * g;
          w[k] -= lr * (m[k] / (1 - beta1 ** t)) / (Math.sqrt(v[k] / (1 - beta2 ** t)) + epsilon);
        }
      });
    });
    assertEquals(lazy.iterations, updates.length, "iterations should count the updates");
    const shape = [50, 4];
    assertTensorClose(
      { values: lazy.m, shape },
      { values: m, shape },
      { atol: 1e-7, rtol: 1e-5 },
      "first moments",
    );
    assertTensorClose(
      { values: lazy.v, shape },
      { values: v, shape },
      { atol: 1e-9, rtol: 1e-5 },
      "second moments",
    );
    assertTensorClose(
      { values: lazy.table, shape },
      { values: w, shape },
      { atol: 1e-6 },
      "weights after 8 updates",
    );
  });

  const VOCAB = 1000;
  const DIM = 8;
  const SHAPE = { embeddingDim: DIM, units: 4, seqLen: 10 };
  /** Two steps, dense tfjs Adam and lazy Adam from the same weights, on batches sharing no id. */
  const twoSteps = once(() => {
    seedEverything(SEED);
    const dense = buildEmbeddingLstm({ vocab: VOCAB, ...SHAPE });
    const head = buildLstmHead(SHAPE);
    head.setWeights(dense.getWeights().slice(1));
    const table = embeddingTable(dense);
    const lazy = {
      embedding: new LazyAdam(table.dataSync().slice() as Float32Array, DIM, CONFIG),
      head,
      headOptimizer: tf.train.adam(CONFIG.learningRate, CONFIG.beta1, CONFIG.beta2, CONFIG.epsilon),
    };
    const adam = tf.train.adam(CONFIG.learningRate, CONFIG.beta1, CONFIG.beta2, CONFIG.epsilon);
    const half = (offset: number): TokenBatch => {
      const batch = randomTokenBatch(rng, { batchSize: 8, seqLen: 10, vocab: VOCAB / 2 });
      return { ...batch, ids: batch.ids.map((id) => id + offset) };
    };
    const [first, second] = [half(0), half(VOCAB / 2)];
    const start = table.dataSync().slice() as Float32Array;
    const denseLoss = trainStep(dense, adam, first);
    const lazyLoss = lazyTrainStep(lazy, first);
    const afterFirst = {
      dense: table.dataSync().slice() as Float32Array,
      lazy: lazy.embedding.table.slice(),
      denseHead: dense.getWeights().slice(1).map((t) => t.dataSync().slice() as Float32Array),
      lazyHead: head.getWeights().map((t) => t.dataSync().slice() as Float32Array),
    };
    trainStep(dense, adam, second);
    lazyTrainStep(lazy, second);
    return {
      start,
      first: distinct(first.ids),
      second: distinct(second.ids),
      denseLoss,
      lazyLoss,
      afterFirst,
      afterSecond: { dense: table.dataSync().slice() as Float32Array, lazy: lazy.embedding.table.slice() },
    };
  });

  it("a first lazy training step equals tfjs's dense Adam step: same loss, table and head", () => {
    const { denseLoss, lazyLoss, afterFirst, start, first } = twoSteps();
    const shape = [VOCAB, DIM];
    assertTensorClose(
      { values: [lazyLoss], shape: [1] },
      { values: [denseLoss], shape: [1] },
      { atol: 1e-6 },
      "loss",
    );
    assertTensorClose(
      { values: afterFirst.lazy, shape },
      { values: afterFirst.dense, shape },
      { atol: 1e-6 },
      "table after one step: lazyTrainStep vs tf.train.adam on the same model",
    );
    assertEquals(
      differingRows(start, afterFirst.lazy, DIM),
      first,
      "the first lazy step moves the batch's rows",
    );
    afterFirst.lazyHead.forEach((values, i) => {
      const expected = afterFirst.denseHead[i];
      assertTensorClose(
        { values, shape: [values.length] },
        { values: expected, shape: [expected.length] },
        { atol: 1e-6 },
        `head weight ${i} after one step`,
      );
    });
  });

  it("on a second batch of other words, dense Adam moves the first batch's rows again; lazy Adam leaves them", () => {
    const { afterFirst, afterSecond, first, second } = twoSteps();
    assertEquals(
      differingRows(afterFirst.dense, afterSecond.dense, DIM),
      distinct([...first, ...second]),
      "tfjs's Adam: both batches' rows move",
    );
    assertEquals(
      differingRows(afterFirst.lazy, afterSecond.lazy, DIM),
      second,
      "lazy Adam: only the batch's rows",
    );
  });

  it("rejects rows outside the table, repeated rows and gradients of the wrong size, naming the problem", () => {
    const lazy = new LazyAdam(randomTable(10, 2), 2, CONFIG);
    assertThrows(() => lazy.update([10], new Float32Array(2)), RangeError, "outside");
    assertThrows(() => lazy.update([3, 3], new Float32Array(4)), RangeError, "twice");
    assertThrows(() => lazy.update([1, 2], new Float32Array(3)), RangeError, "grads");
    assertThrows(() => new LazyAdam(new Float32Array(7), 2, CONFIG), RangeError, "multiple");
  });
});
