import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/init.ts";
import { createRng } from "../core/random.ts";
import { batchTensors, randomTokenBatch, vocabularyEpoch, zipfTokenBatch } from "./token_batches.ts";

await initBackend();

describe("token_batches", () => {
  it("draws ids in range, deterministically for a seed", () => {
    const shape = { batchSize: 8, seqLen: 10, vocab: 37 };
    const a = randomTokenBatch(createRng(5), shape);
    const b = randomTokenBatch(createRng(5), shape);
    assertEquals(a.ids.length, 80);
    assertEquals(Array.from(a.ids), Array.from(b.ids));
    assert(a.ids.every((id) => id >= 0 && id < 37));
    assertEquals(new Set(a.ids).size > 20, true);
  });

  it("labels a sequence 1 when more than half of its ids are even", () => {
    const { labels, ids } = randomTokenBatch(createRng(2), { batchSize: 50, seqLen: 4, vocab: 1000 });
    for (let b = 0; b < 50; b++) {
      const even = Array.from(ids.slice(b * 4, b * 4 + 4)).filter((id) => id % 2 === 0).length;
      assertEquals(labels[b], even > 2 ? 1 : 0);
    }
  });

  it("Zipf batches: ids in range, P(id < r) = log(r + 1) / log(vocab + 1), labelled by the same rule", () => {
    const vocab = 1_000_000;
    const batch = zipfTokenBatch(createRng(4), { batchSize: 400, seqLen: 50, vocab });
    const { ids, labels } = batch;
    assert(ids.every((id) => Number.isInteger(id) && id >= 0 && id < vocab));
    for (const r of [1, 10, 1000, 100_000]) {
      const share = ids.filter((id) => id < r).length / ids.length;
      const expected = Math.log(r + 1) / Math.log(vocab + 1);
      // 20,000 draws: the share's standard deviation is at most 0.0036
      assert(Math.abs(share - expected) < 0.015, `share of ids below ${r}: ${share}, expected ${expected}`);
    }
    const again = zipfTokenBatch(createRng(4), { batchSize: 400, seqLen: 50, vocab });
    assertEquals(Array.from(again.ids), Array.from(ids), "the same seed draws the same batch");
    for (let b = 0; b < 400; b++) {
      const even = Array.from(ids.slice(b * 50, b * 50 + 50)).filter((id) => id % 2 === 0).length;
      assertEquals(labels[b], even > 25 ? 1 : 0);
    }
    assertEquals(Array.from(zipfTokenBatch(createRng(1), { batchSize: 2, seqLen: 2, vocab: 1 }).ids), [
      0,
      0,
      0,
      0,
    ]);
  });

  it("an epoch contains every id of the vocabulary", () => {
    const epoch = vocabularyEpoch(createRng(9), { batchSize: 3, seqLen: 7, vocab: 100 });
    assertEquals(epoch.length, 5);
    const seen = new Set(epoch.flatMap((batch) => Array.from(batch.ids)));
    assertEquals(seen.size, 100);
    assert(epoch.every((batch) => batch.ids.length === 21 && batch.labels.length === 3));
  });

  it("makes tensors of the right shape and dtype", () => {
    const { ids, labels } = batchTensors(
      randomTokenBatch(createRng(1), { batchSize: 2, seqLen: 3, vocab: 9 }),
    );
    assertEquals([ids.shape, ids.dtype, labels.shape, labels.dtype], [[2, 3], "int32", [2, 1], "float32"]);
    tf.dispose([ids, labels]);
  });

  it("rejects a size that is not a positive integer", () => {
    assertThrows(
      () => randomTokenBatch(createRng(1), { batchSize: 0, seqLen: 3, vocab: 9 }),
      RangeError,
      "batchSize",
    );
    assertThrows(
      () => vocabularyEpoch(createRng(1), { batchSize: 2, seqLen: 3, vocab: 2.5 }),
      RangeError,
      "vocab",
    );
  });
});
