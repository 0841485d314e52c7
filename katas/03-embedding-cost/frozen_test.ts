import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { createRng, kataSeed, seedEverything } from "@lib/core/random.ts";
import { embeddingTable, trainStep } from "@lib/models/text_classifier.ts";
import { randomTokenBatch } from "@lib/data/token_batches.ts";
import { buildFrozenPlusSmall, FROZEN_LAYER, SMALL_LAYER } from "./frozen.ts";

await initBackend();
const SEED = kataSeed();
seedEverything(SEED);
const rng = createRng(SEED);

const BIG_DIM = 8;
const SMALL_VOCAB = 50;
const SMALL_DIM = 4;
const UNITS = 4;
const SEQ_LEN = 10;

function pretrainedTable(vocab: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: vocab * BIG_DIM }, () => rng.normal() * 0.3), [
    vocab,
    BIG_DIM,
  ]);
}

function build(pretrained: tf.Tensor2D): tf.LayersModel {
  return buildFrozenPlusSmall({
    pretrained,
    smallVocab: SMALL_VOCAB,
    smallDim: SMALL_DIM,
    units: UNITS,
    seqLen: SEQ_LEN,
  });
}

const count = (weights: tf.LayerVariable[]) =>
  weights.reduce((sum, w) => sum + w.shape.reduce((a, d) => a! * d!, 1)!, 0);
const bitsOf = (values: Float32Array) =>
  Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

describe("kata 03, step 5: frozen + small trainable", () => {
  it("the trainable parameter count does not depend on the large vocabulary", () => {
    // Small table (SMALL_VOCAB rows + one shared row) + LSTM on BIG_DIM + SMALL_DIM inputs + Dense(1).
    const input = BIG_DIM + SMALL_DIM;
    const expected = (SMALL_VOCAB + 1) * SMALL_DIM + 4 * (UNITS * (input + UNITS) + UNITS) + UNITS + 1;
    for (const vocab of [500, 2000]) {
      const model = build(pretrainedTable(vocab));
      assertEquals(
        count(model.trainableWeights),
        expected,
        `trainable parameters with a ${vocab}-word frozen table`,
      );
      assertEquals(
        count(model.nonTrainableWeights),
        vocab * BIG_DIM,
        `frozen parameters: ${vocab} × ${BIG_DIM}`,
      );
    }
  });

  it("training leaves the frozen table bit-identical to the pretrained one and moves the small table", () => {
    const vocab = 1000;
    const pretrained = pretrainedTable(vocab);
    const pretrainedBits = bitsOf(pretrained.dataSync() as Float32Array);
    const model = build(pretrained);
    const small = embeddingTable(model, SMALL_LAYER);
    const smallBefore = bitsOf(small.dataSync() as Float32Array);
    const adam = tf.train.adam(0.01);
    for (let i = 0; i < 5; i++) {
      trainStep(model, adam, randomTokenBatch(rng, { batchSize: 8, seqLen: SEQ_LEN, vocab }));
    }
    const frozenAfter = bitsOf(embeddingTable(model, FROZEN_LAYER).dataSync() as Float32Array);
    assert(
      frozenAfter.every((bits, i) => bits === pretrainedBits[i]),
      "the frozen table changed during training",
    );
    const smallAfter = bitsOf(small.dataSync() as Float32Array);
    assert(smallAfter.some((bits, i) => bits !== smallBefore[i]), "the small trainable table did not change");
  });

  it("ids below smallVocab train their own row of the small table; all other ids share one row", () => {
    const vocab = 1000;
    const model = build(pretrainedTable(vocab));
    const small = embeddingTable(model, SMALL_LAYER);
    assertEquals(
      small.shape,
      [SMALL_VOCAB + 1, SMALL_DIM],
      "the small table: one row per frequent word + one shared",
    );
    const batch = randomTokenBatch(rng, { batchSize: 8, seqLen: SEQ_LEN, vocab: 2 * SMALL_VOCAB });
    const before = small.dataSync().slice() as Float32Array;
    trainStep(model, tf.train.sgd(0.5), batch);
    const after = small.dataSync() as Float32Array;
    const moved = new Set<number>();
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) moved.add(Math.floor(i / SMALL_DIM));
    const expected = [...new Set(Array.from(batch.ids, (id) => Math.min(id, SMALL_VOCAB)))].sort((a, b) =>
      a - b
    );
    assertEquals([...moved].sort((a, b) => a - b), expected, "small-table rows moved by one SGD step");
  });

  it("rejects a pretrained table that is not a matrix, or a small vocabulary that is not smaller", () => {
    const options = { smallVocab: SMALL_VOCAB, smallDim: SMALL_DIM, units: UNITS, seqLen: SEQ_LEN };
    const cube = tf.zeros([10, 2, 2]) as unknown as tf.Tensor2D;
    assertThrows(() => buildFrozenPlusSmall({ ...options, pretrained: cube }), RangeError, "pretrained");
    assertThrows(
      () => buildFrozenPlusSmall({ ...options, pretrained: pretrainedTable(40) }),
      RangeError,
      "smallVocab",
    );
  });
});
