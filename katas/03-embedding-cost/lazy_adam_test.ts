import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { once } from "@lib/testing/once.ts";
import { createRng, seedEverything } from "@lib/core/random.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { buildEmbeddingLstm, buildLstmHead, embeddingTable, trainStep } from "@lib/models/text_classifier.ts";
import { randomTokenBatch, type TokenBatch } from "@lib/data/token_batches.ts";
import { type AdamConfig, DEFAULT_ADAM } from "./contract.ts";
import { LazyAdam, lazyTrainStep } from "./lazy_adam.ts";
import { differingRows, distinct, SEED } from "./test_setup.ts";

await initBackend();
seedEverything(SEED);
const rng = createRng(SEED);

const CONFIG: AdamConfig = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

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

  it("moves the updated rows exactly as Adam's formula says, for any hyper-parameters, with bias correction by the update count", () => {
    const configs: [string, AdamConfig | undefined][] = [
      ["the test's config", CONFIG],
      ["another config", { learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 }],
      ["no config (tfjs's defaults)", undefined],
    ];
    for (const [name, config] of configs) {
      const table = randomTable(50, 4);
      const w = Float64Array.from(table);
      const m = new Float64Array(w.length);
      const v = new Float64Array(w.length);
      const lazy = config ? new LazyAdam(table.slice(), 4, config) : new LazyAdam(table.slice(), 4);
      const { learningRate: lr, beta1, beta2, epsilon } = config ?? DEFAULT_ADAM;
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
      assertEquals(lazy.iterations, updates.length, `${name}: iterations should count the updates`);
      const shape = [50, 4];
      assertTensorClose(
        { values: lazy.m, shape },
        { values: m, shape },
        { atol: 1e-7, rtol: 1e-5 },
        `${name}: first moments`,
      );
      assertTensorClose(
        { values: lazy.v, shape },
        { values: v, shape },
        { atol: 1e-9, rtol: 1e-5 },
        `${name}: second moments`,
      );
      assertTensorClose(
        { values: lazy.table, shape },
        { values: w, shape },
        { atol: 1e-6, rtol: 1e-5 },
        `${name}: weights after 8 updates`,
      );
    }
  });

  it("owns the table it is given and knows its size", () => {
    const table = randomTable(30, 5);
    const lazy = new LazyAdam(table, 5, CONFIG);
    assertEquals(
      [lazy.vocab, lazy.dim, lazy.iterations],
      [30, 5, 0],
      "vocab, dim and iterations of a new LazyAdam",
    );
    assertEquals([lazy.m.length, lazy.v.length], [150, 150], "one moment per table entry");
    assertEquals(
      [lazy.m.some((x) => x !== 0), lazy.v.some((x) => x !== 0)],
      [false, false],
      "moments start at zero",
    );
    lazy.update([4], Float32Array.from({ length: 5 }, () => 0.1));
    assertEquals(lazy.table === table, true, "update should change the table it was given, in place");
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

  it("lazyTrainStep trains any shape of head and batch and leaves no tensors behind", () => {
    const shape = { embeddingDim: 5, units: 3, seqLen: 6 };
    const embedding = new LazyAdam(randomTable(80, 5), 5, CONFIG);
    const model = { embedding, head: buildLstmHead(shape), headOptimizer: tf.train.adam(0.01) };
    const batch = randomTokenBatch(rng, { batchSize: 3, seqLen: 6, vocab: 80 });
    const before = embedding.table.slice();
    lazyTrainStep(model, batch);
    assertEquals(differingRows(before, embedding.table, 5), distinct(batch.ids), "rows moved by a lazy step");
    const tensors = tf.memory().numTensors;
    const loss = lazyTrainStep(model, batch);
    assertEquals(tf.memory().numTensors, tensors, "tensors left behind by a second lazyTrainStep");
    assertEquals(embedding.iterations, 2, "one update of the table per step");
    assertEquals(
      Number.isFinite(loss) && loss > 0,
      true,
      `lazyTrainStep should return the batch's loss, got ${loss}`,
    );
    model.head.dispose();
  });

  it("rejects rows outside the table, repeated rows and gradients of the wrong size, naming the problem", () => {
    const lazy = new LazyAdam(randomTable(10, 2), 2, CONFIG);
    for (const row of [10, -1, 1.5, NaN]) {
      assertThrows(() => lazy.update([0, row], new Float32Array(4)), RangeError, "outside");
    }
    assertThrows(() => lazy.update([3, 3], new Float32Array(4)), RangeError, "twice");
    assertThrows(() => lazy.update([1, 2], new Float32Array(3)), RangeError, "grads");
    assertThrows(() => new LazyAdam(new Float32Array(7), 2, CONFIG), RangeError, "multiple");
  });

  it("a rejected update changes nothing: not the table, the moments or the update count", () => {
    const lazy = new LazyAdam(randomTable(10, 2), 2, CONFIG);
    lazy.update([1, 4], Float32Array.from([0.3, -0.2, 0.1, 0.5]));
    const bad: [string, number[], Float32Array][] = [
      ["a repeated row after good ones", [2, 5, 7, 5], Float32Array.from({ length: 8 }, () => rng.normal())],
      [
        "a row outside the table after good ones",
        [0, 3, 10],
        Float32Array.from({ length: 6 }, () => rng.normal()),
      ],
      ["a negative row after good ones", [6, 8, -1], Float32Array.from({ length: 6 }, () => rng.normal())],
      ["gradients of the wrong size", [0, 1], Float32Array.from({ length: 3 }, () => rng.normal())],
    ];
    for (const [what, rows, grads] of bad) {
      const before = { table: lazy.table.slice(), m: lazy.m.slice(), v: lazy.v.slice() };
      const iterations = lazy.iterations;
      assertThrows(() => lazy.update(rows, grads), RangeError);
      for (const [name, array] of Object.entries(before) as [string, Float32Array][]) {
        assertEquals(
          differingRows(array, lazy[name as "table" | "m" | "v"], 2),
          [],
          `an update rejected for ${what} changed rows of ${name}`,
        );
      }
      assertEquals(lazy.iterations, iterations, `an update rejected for ${what} counted as an update`);
    }
  });
});
