import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "./backend.ts";
import { createRng } from "./random.ts";
import { assertTensorClose } from "./tensor_assert.ts";
import { unsortedSegmentSumValues } from "./wasm_kernels.ts";

await initBackend("wasm");

/** Runs `fn` on the cpu backend and on wasm, returning both results as plain data. */
async function onBoth(fn: () => tf.Tensor): Promise<{ cpu: tf.Tensor; wasm: tf.Tensor }> {
  await tf.setBackend("cpu");
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  const c = fn();
  const cpu = tf.tensor(await c.data(), c.shape, c.dtype);
  await tf.setBackend("wasm");
  const wasm = fn();
  return { cpu: tf.tensor(await cpu.data(), cpu.shape, cpu.dtype), wasm };
}

const rng = createRng(7);
const randoms = (n: number) => Array.from({ length: n }, () => rng.normal());

describe("wasm training kernels", () => {
  it("UnsortedSegmentSum matches the cpu backend, ids repeated and out of range", async () => {
    const x = randoms(6 * 5);
    const ids = [3, 0, 3, 7, -1, 1];
    const { cpu, wasm } = await onBoth(() =>
      tf.unsortedSegmentSum(tf.tensor2d(x, [6, 5]), tf.tensor1d(ids, "int32"), 6)
    );
    assertTensorClose(wasm, cpu, { atol: 1e-6 });
  });

  it("the gradient of gather (an Embedding layer's update) matches the cpu backend", async () => {
    const table = randoms(20 * 4);
    const ids = [[1, 5, 5], [19, 0, 1]];
    const grad = () =>
      tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor2d(ids, [2, 3], "int32")).square().sum())(
        tf.tensor2d(table, [20, 4]),
      );
    const { cpu, wasm } = await onBoth(grad);
    assertTensorClose(wasm, cpu, { atol: 1e-5 });
  });

  for (const [pad, strides] of [["same", 1], ["valid", 2], ["same", 2]] as const) {
    it(`Conv2DBackpropFilter matches the cpu backend (pad ${pad}, stride ${strides})`, async () => {
      const x = randoms(2 * 7 * 6 * 3);
      const w = randoms(3 * 3 * 3 * 4);
      const grad = () =>
        tf.grad((k: tf.Tensor) =>
          tf.conv2d(tf.tensor4d(x, [2, 7, 6, 3]), k as tf.Tensor4D, strides, pad).square().sum()
        )(
          tf.tensor4d(w, [3, 3, 3, 4]),
        );
      const { cpu, wasm } = await onBoth(grad);
      assertTensorClose(wasm, cpu, { atol: 1e-4, rtol: 1e-5 });
    });
  }

  it("unsortedSegmentSumValues sums rows into buckets", () => {
    const out = unsortedSegmentSumValues([1, 2, 3, 4, 5, 6], [3, 2], [1, 1, 0], 3);
    assertEquals(Array.from(out), [5, 6, 4, 6, 0, 0]);
  });
});
