import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "./init.ts";

await initBackend("wasm");

const dataIds = () =>
  (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();

describe("wasm Identity and same-type Cast share the buffer", () => {
  it("a clone allocates no buffer and keeps its values after the original is disposed", () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = dataIds();
    const y = tf.clone(x);
    assertEquals(dataIds(), before, "tf.clone allocated a new buffer");
    x.dispose();
    assertEquals(y.arraySync(), [[1, 2], [3, 4]]);
    y.dispose();
    assertEquals(dataIds(), before - 1, "the shared buffer was not freed with its last tensor");
  });

  it("a cast to the same type shares; a cast to another type still converts", () => {
    const x = tf.tensor1d([1.75, -2.5, 3]);
    const before = dataIds();
    const same = tf.cast(x, "float32");
    assertEquals(dataIds(), before, "a float32 → float32 cast allocated a new buffer");
    const ints = tf.cast(x, "int32");
    assertEquals(dataIds(), before + 1);
    assertEquals([ints.dtype, Array.from(ints.dataSync())], ["int32", [1, -2, 3]]);
    tf.dispose([x, same, ints]);
  });

  it("gradients through clone and ReLU are unchanged", () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    const grad = tf.grad((v: tf.Tensor) => tf.relu(tf.clone(v)).mul(v).sum())(x);
    // d/dv relu(v)·v = 2v for v > 0, 0 otherwise
    assertEquals(Array.from(grad.dataSync()), [0, 1, 4]);
  });
});
