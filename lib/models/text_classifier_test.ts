import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/init.ts";
import { createRng, seedEverything } from "../core/random.ts";
import { randomTokenBatch } from "../data/token_batches.ts";
import {
  buildEmbeddingLstm,
  buildLstmHead,
  classifierLoss,
  embeddingTable,
  trainableVariables,
  trainStep,
} from "./text_classifier.ts";

await initBackend();
seedEverything(1);

describe("text_classifier", () => {
  it("builds Embedding → LSTM → Dense(1) with the expected parameter count", () => {
    const model = buildEmbeddingLstm({ vocab: 100, embeddingDim: 8, units: 4, seqLen: 6 });
    assertEquals(model.layers.map((l) => l.getClassName()), ["InputLayer", "Embedding", "LSTM", "Dense"]);
    assertEquals(model.countParams(), 100 * 8 + 4 * (4 * (8 + 4) + 4) + 5);
    assertEquals(model.outputs[0].shape, [null, 1]);
  });

  it("a head's weights line up with the full model's after the embedding", () => {
    const model = buildEmbeddingLstm({ vocab: 30, embeddingDim: 5, units: 3, seqLen: 4 });
    const head = buildLstmHead({ embeddingDim: 5, units: 3, seqLen: 4 });
    assertEquals(head.getWeights().map((w) => w.shape), model.getWeights().slice(1).map((w) => w.shape));
    head.setWeights(model.getWeights().slice(1));
    const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], "int32");
    const full = model.predict(ids) as tf.Tensor;
    const viaHead = head.predict(tf.gather(embeddingTable(model), ids)) as tf.Tensor;
    assertEquals(Array.from(full.dataSync()), Array.from(viaHead.dataSync()));
  });

  it("a training step lowers the loss of a repeated batch and leaves a frozen table alone", () => {
    const batch = randomTokenBatch(createRng(3), { batchSize: 8, seqLen: 5, vocab: 40 });
    const model = buildEmbeddingLstm({
      vocab: 40,
      embeddingDim: 4,
      units: 3,
      seqLen: 5,
      trainableEmbedding: false,
    });
    const before = embeddingTable(model).dataSync().slice();
    const optimizer = tf.train.adam(0.05);
    const first = trainStep(model, optimizer, batch);
    let last = first;
    for (let i = 0; i < 10; i++) last = trainStep(model, optimizer, batch);
    assert(last < first, `loss should fall on a repeated batch: first ${first}, last ${last}`);
    assertEquals(Array.from(embeddingTable(model).dataSync()), Array.from(before));
    assertEquals(trainableVariables(model).length, 5);
  });

  it("a trainable table moves", () => {
    const batch = randomTokenBatch(createRng(4), { batchSize: 4, seqLen: 5, vocab: 40 });
    const model = buildEmbeddingLstm({ vocab: 40, embeddingDim: 4, units: 3, seqLen: 5 });
    const before = Array.from(embeddingTable(model).dataSync());
    trainStep(model, tf.train.sgd(1), batch);
    assertNotEquals(Array.from(embeddingTable(model).dataSync()), before);
  });

  it("the loss is sigmoid cross-entropy on logits", () => {
    const loss = classifierLoss(tf.tensor2d([[0], [2]]), tf.tensor2d([[1], [0]]));
    const expected = (Math.log(2) + Math.log(1 + Math.exp(2))) / 2;
    assert(Math.abs(loss.dataSync()[0] - expected) < 1e-6);
  });

  it("names the layers when the embedding layer is missing, and rejects bad sizes", () => {
    const head = buildLstmHead({ embeddingDim: 2, units: 2, seqLen: 3 });
    assertThrows(() => embeddingTable(head), Error, "no embedding layer named");
    assertThrows(
      () => buildEmbeddingLstm({ vocab: 0, embeddingDim: 2, units: 2, seqLen: 3 }),
      RangeError,
      "vocab",
    );
  });
});
