import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { seedEverything } from "@lib/core/random.ts";
import type { DType } from "./contract.ts";
import { adamTrainingBytes, embeddingBytes, lstmParams } from "./memory.ts";
import { assertProperty, SEED } from "./test_setup.ts";

await initBackend();
seedEverything(SEED);

/** Bytes per element, written here so the properties below do not trust the code under test. */
const BYTES: Record<DType, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int8: 1 };
const dtypes = fc.constantFrom(...Object.keys(BYTES) as DType[]);

/**
 * Asserts that `fn` throws a RangeError whose message names `bad` and none of the `others`, so
 * that one message for every bad argument does not pass.
 */
function assertNamesOnly(fn: () => unknown, bad: string, others: string[], call: string): void {
  const error = assertThrows(fn, RangeError, bad);
  for (const other of others) {
    assertEquals(
      error.message.includes(other),
      false,
      `${call}: the message should name ${bad} only, got "${error.message}"`,
    );
  }
}

/** tfjs's own count for an LSTM layer reading `embeddingDim`-wide tokens. */
function tfjsLstmParams(embeddingDim: number, units: number): number {
  const layer = tf.layers.lstm({ units, recurrentInitializer: "glorotUniform" });
  layer.apply(tf.input({ shape: [5, embeddingDim] }));
  const count = layer.countParams();
  layer.dispose();
  return count;
}

describe("kata 03, step 1: memory arithmetic", () => {
  it("a 2,000,000 × 200 float32 table takes 1.6 GB (half of it in float16 or bfloat16)", () => {
    assertEquals(embeddingBytes(2_000_000, 200), 1.6e9, "embeddingBytes(2e6, 200) should default to float32");
    assertEquals(embeddingBytes(2_000_000, 200, "float32"), 1.6e9, "2e6 × 200 × 4 bytes");
    assertEquals(embeddingBytes(2_000_000, 200, "float16"), 0.8e9, "2e6 × 200 × 2 bytes");
    assertEquals(embeddingBytes(2_000_000, 200, "bfloat16"), 0.8e9, "2e6 × 200 × 2 bytes (bfloat16)");
    assertEquals(embeddingBytes(200_000, 200, "float64"), 3.2e8, "2e5 × 200 × 8 bytes");
    assertEquals(embeddingBytes(1000, 64, "int8"), 64_000, "1000 × 64 × 1 byte");
  });

  it("a table's bytes are vocab × dim × the dtype's size, additive in the vocabulary (property)", () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 1024 }),
        dtypes,
        (a, b, dim, dtype) => {
          assertEquals(
            embeddingBytes(a, dim, dtype),
            a * dim * BYTES[dtype],
            `embeddingBytes(${a}, ${dim}, ${dtype})`,
          );
          assertEquals(
            embeddingBytes(a + b, dim, dtype),
            embeddingBytes(a, dim, dtype) + embeddingBytes(b, dim, dtype),
            `${a} + ${b} words should take the bytes of ${a} words plus those of ${b}`,
          );
        },
      ),
    );
  });

  it("training the table with Adam holds four tables: weights, a dense gradient and two moments", () => {
    const memory = adamTrainingBytes(2_000_000, 200);
    assertEquals(
      memory,
      { weights: 1.6e9, gradient: 1.6e9, firstMoment: 1.6e9, secondMoment: 1.6e9, total: 6.4e9 },
      "Adam on a 2e6 × 200 float32 table",
    );
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 1024 }),
        dtypes,
        (vocab, dim, dtype) => {
          const table = vocab * dim * BYTES[dtype];
          assertEquals(
            adamTrainingBytes(vocab, dim, dtype),
            { weights: table, gradient: table, firstMoment: table, secondMoment: table, total: 4 * table },
            `adamTrainingBytes(${vocab}, ${dim}, ${dtype})`,
          );
        },
      ),
    );
  });

  it("the memory arithmetic rejects impossible sizes and unknown dtypes with a clear error", () => {
    assertThrows(() => embeddingBytes(-5, 200), RangeError, "vocab");
    assertThrows(() => embeddingBytes(0, 200), RangeError, "vocab");
    assertThrows(() => embeddingBytes(1000, 2.5), RangeError, "dim");
    assertThrows(() => embeddingBytes(1000, NaN), RangeError, "dim");
    assertThrows(() => embeddingBytes(1000, 8, "float8" as "float32"), RangeError, "float8");
    // Names every object inherits are not dtypes either.
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      assertThrows(() => embeddingBytes(1000, 8, name as "float32"), RangeError, name);
    }
    assertThrows(() => adamTrainingBytes(0, 8), RangeError, "vocab");
    assertThrows(() => adamTrainingBytes(10, -8, "float16"), RangeError, "dim");
  });

  it("each impossible size is rejected by name: fractions, NaN and infinities of either argument", () => {
    for (const bad of [2.5, NaN, Infinity, -3, 0]) {
      assertNamesOnly(() => embeddingBytes(bad, 8), "vocab", ["dim"], `embeddingBytes(${bad}, 8)`);
      assertNamesOnly(() => embeddingBytes(1000, bad), "dim", ["vocab"], `embeddingBytes(1000, ${bad})`);
      assertNamesOnly(() => adamTrainingBytes(bad, 8), "vocab", ["dim"], `adamTrainingBytes(${bad}, 8)`);
      assertNamesOnly(() => adamTrainingBytes(10, bad), "dim", ["vocab"], `adamTrainingBytes(10, ${bad})`);
    }
  });
});

describe("kata 03, step 2: LSTM weights", () => {
  it("lstmParams matches tfjs's countParams() for several sizes", () => {
    for (const [embeddingDim, units] of [[64, 32], [200, 128], [8, 4], [300, 1], [1, 50]]) {
      const expected = tfjsLstmParams(embeddingDim, units);
      assertEquals(
        lstmParams(embeddingDim, units),
        expected,
        `LSTM(${units}) on ${embeddingDim}-wide tokens: tfjs counts ${expected}`,
      );
    }
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (embeddingDim, units) => {
        assertEquals(
          lstmParams(embeddingDim, units),
          tfjsLstmParams(embeddingDim, units),
          `LSTM(${units}) on ${embeddingDim}-wide tokens`,
        );
      }),
      20,
    );
  });

  it("the LSTM grows with the embedding width (64 → 200 wide: 1.7× the weights), not with the vocabulary", () => {
    const narrow = lstmParams(64, 128);
    const wide = lstmParams(200, 128);
    assertEquals([narrow, wide], [98_816, 168_448], "LSTM(128) on 64- and 200-wide tokens");
    // Next to a 2,000,000 × 200 table (4e8 weights) even the wide LSTM is 0.04 % of the model.
    assertEquals((wide / 4e8 * 100).toFixed(2), "0.04");
  });

  it("lstmParams rejects a size that is not a positive integer, naming it", () => {
    assertThrows(() => lstmParams(0, 32), RangeError, "embeddingDim");
    assertThrows(() => lstmParams(64, -1), RangeError, "units");
    assertThrows(() => lstmParams(64, 1.5), RangeError, "units");
    for (const bad of [1.5, NaN, Infinity, -2, 0]) {
      assertNamesOnly(() => lstmParams(bad, 4), "embeddingDim", ["units"], `lstmParams(${bad}, 4)`);
      assertNamesOnly(() => lstmParams(64, bad), "units", ["embeddingDim"], `lstmParams(64, ${bad})`);
    }
  });
});
