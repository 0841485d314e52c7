import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "./init.ts";
import { createRng } from "../core/random.ts";
import { swapsOperands } from "./wasm_matmul.ts";
import { assertTensorClose } from "../testing/tensor_assert.ts";

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
    ["aᵀ·b with b a column (a wide layer's output kernel gradient)", [64, 300], [64, 1], true, false],
    [
      "aᵀ·b with b 4× wider than a, operands swapped (a wide layer's kernel gradient)",
      [64, 2],
      [64, 300],
      true,
      false,
    ],
    ["batched aᵀ·b with b 4× wider than a, operands swapped", [2, 6, 3], [1, 6, 12], true, false],
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

  it("swapping the operands of aᵀ·b changes no bit of the result", () => {
    const a = randoms([64, 3]);
    const b = randoms([64, 500]);
    assert(swapsOperands(a.shape, b.shape, true, false), "this shape should take the swapped path");
    const swapped = tf.matMul(a, b, true, false).dataSync();
    const straight = tf.matMul(tf.transpose(a), b).dataSync();
    assertEquals(Array.from(swapped), Array.from(straight));
  });

  it("frees its transposed copies", () => {
    const a = randoms([16, 8]);
    const b = randoms([4, 16]);
    const thin = randoms([16, 2]);
    const before = dataIds();
    tf.matMul(a, b, true, true).dispose();
    tf.matMul(b, a, false, false).dispose();
    tf.matMul(a, a, true, false).dispose();
    tf.matMul(thin, a, true, false).dispose(); // operands swapped
    assertEquals(dataIds(), before, "backend buffers left behind by transposed products");
  });
});
