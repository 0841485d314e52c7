import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "./backend.ts";
import { createRng } from "./random.ts";
import { assertTensorClose } from "./tensor_assert.ts";

await initBackend("wasm");

const rng = createRng(11);
const randoms = (shape: number[]) =>
  tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);

/** The same product on the cpu backend, as plain data. */
async function onCpu(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) {
  const [av, bv] = [await a.data(), await b.data()];
  await tf.setBackend("cpu");
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  const c = tf.matMul(tf.tensor(av, a.shape), tf.tensor(bv, b.shape), transposeA, transposeB);
  const out = { values: await c.data(), shape: c.shape };
  await tf.setBackend("wasm");
  return tf.tensor(out.values, out.shape);
}

const dataIds = () =>
  (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();

describe("wasm BatchMatMul with transposed operands", () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ["aᵀ·b (a Dense kernel's gradient)", [64, 30], [64, 17], true, false],
    ["a·bᵀ (a Dense input's gradient)", [64, 17], [30, 17], false, true],
    ["aᵀ·b with b a column (a wide layer's kernel gradient)", [64, 300], [64, 1], true, false],
    ["aᵀ·bᵀ", [9, 5], [7, 9], true, true],
    ["batched aᵀ·b with a broadcast batch", [3, 6, 4], [1, 6, 5], true, false],
    ["a·b, no transpose (tfjs's own path)", [5, 8], [8, 3], false, false],
  ];
  for (const [name, aShape, bShape, transposeA, transposeB] of cases) {
    it(`${name} matches the cpu backend`, async () => {
      const a = randoms(aShape);
      const b = randoms(bShape);
      const expected = await onCpu(a, b, transposeA, transposeB);
      assertTensorClose(tf.matMul(a, b, transposeA, transposeB), expected, { atol: 1e-5, rtol: 1e-5 });
    });
  }

  it("frees its transposed copies", () => {
    const a = randoms([16, 8]);
    const b = randoms([4, 16]);
    const before = dataIds();
    tf.matMul(a, b, true, true).dispose();
    tf.matMul(b, a, false, false).dispose();
    tf.matMul(a, a, true, false).dispose();
    assertEquals(dataIds(), before, "backend buffers left behind by transposed products");
  });
});
