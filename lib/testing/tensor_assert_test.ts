import * as tf from "@tensorflow/tfjs";
import { AssertionError, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { assertTensorClose } from "./tensor_assert.ts";

await initBackend("wasm");

describe("assertTensorClose", () => {
  it("accepts values within atol + rtol·|expected|", () => {
    assertTensorClose(tf.tensor([1, 100]), tf.tensor([1.05, 101]), { atol: 0.1, rtol: 0.01 });
  });

  it("reports a shape mismatch as such", () => {
    assertThrows(
      () => assertTensorClose(tf.zeros([2, 3]), tf.zeros([3, 2])),
      AssertionError,
      "shape mismatch: expected float32[3, 2], got float32[2, 3]",
    );
  });

  it("reports a dtype mismatch", () => {
    assertThrows(
      () => assertTensorClose(tf.zeros([2], "int32"), tf.zeros([2])),
      AssertionError,
      "dtype mismatch",
    );
  });

  it("names the worst element with its index, expected and actual value", () => {
    assertThrows(
      () => assertTensorClose(tf.tensor2d([[0, 0], [0, 5]]), tf.tensor2d([[0, 1], [0, 0]]), {}, "weights"),
      AssertionError,
      "weights: 2 of 4 elements of float32[2, 2] differ beyond atol=0.000001, rtol=0; worst at [1, 1]: expected 0, got 5",
    );
  });

  it("treats NaN as equal only to NaN", () => {
    assertTensorClose(tf.tensor([NaN]), tf.tensor([NaN]));
    assertThrows(
      () => assertTensorClose(tf.tensor([NaN]), tf.tensor([0])),
      AssertionError,
      "expected 0, got NaN",
    );
  });
});
