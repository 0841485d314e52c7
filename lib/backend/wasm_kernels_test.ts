import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "./init.ts";
import { createRng } from "../core/random.ts";
import { assertTensorClose } from "../testing/tensor_assert.ts";
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

  it("Conv2DBackpropFilter matches the cpu backend in NCHW layout", async () => {
    const x = randoms(2 * 3 * 7 * 6);
    const dy = randoms(2 * 4 * 4 * 3);
    const { cpu, wasm } = await onBoth(() =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, {
        x: tf.tensor4d(x, [2, 3, 7, 6]),
        dy: tf.tensor4d(dy, [2, 4, 4, 3]),
      }, {
        strides: 2,
        pad: "same",
        dataFormat: "NCHW",
        filterShape: [3, 3, 3, 4],
      })
    );
    assertTensorClose(wasm, cpu, { atol: 1e-4, rtol: 1e-5 });
  });

  it("Conv2DBackpropFilter splits a patch matrix too large for one product into per-image products", () => {
    // 7·7·64 taps × 32·32 pixels = 3.2M floats per image: one image fits the kernel's 4M-float
    // patch matrix, two do not. The gradient over both images must be the sum of the two
    // single-image gradients (each computed in one product), as the cpu backend's would be.
    const x = tf.tensor4d(randoms(2 * 32 * 32 * 64), [2, 32, 32, 64]);
    const w = tf.tensor4d(randoms(7 * 7 * 64 * 2), [7, 7, 64, 2]);
    const grad = (images: tf.Tensor4D) =>
      tf.grad((k: tf.Tensor) => tf.conv2d(images, k as tf.Tensor4D, 1, "same").square().sum())(w);
    const both = grad(x);
    const summed = tf.add(grad(x.slice([0], [1])), grad(x.slice([1], [1])));
    assertTensorClose(both, summed, { atol: 1e-2, rtol: 1e-4 });
  });

  it("unsortedSegmentSumValues sums rows into buckets", () => {
    const out = unsortedSegmentSumValues([1, 2, 3, 4, 5, 6], [3, 2], [1, 1, 0], 3);
    assertEquals(Array.from(out), [5, 6, 4, 6, 0, 0]);
  });
});
