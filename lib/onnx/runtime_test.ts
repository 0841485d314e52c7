import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertRejects } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import { assertTensorClose } from "@lib/testing/tensor_assert.ts";
import { once } from "@lib/testing/once.ts";
import { exportOnnx } from "./export.ts";
import { OnnxModel } from "./runtime.ts";

await initBackend();
seedEverything(kataSeed());

/** Two inputs sharing the symbolic batch: a [batch, 4] and b [batch, 2], one output [batch, 3]. */
const twoInputs = once(() => {
  const a = tf.input({ shape: [4], name: "a" });
  const b = tf.input({ shape: [2], name: "b" });
  const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: "scores" }).apply(joined) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: out });
});
const loaded = once(() => OnnxModel.load(exportOnnx(twoInputs())));

const floats = (n: number) => new Float32Array(n).map((_, i) => i / 10);

describe("OnnxModel", () => {
  it("loads from bytes and reports the declared inputs and outputs", async () => {
    const model = await loaded();
    assertEquals(model.inputNames, ["a", "b"]);
    assertEquals(model.outputNames, ["scores"]);
    assertEquals(model.inputs, [
      { name: "a", type: "float32", shape: ["batch", 4] },
      { name: "b", type: "float32", shape: ["batch", 2] },
    ]);
    assertEquals(model.outputs, [{ name: "scores", type: "float32", shape: ["batch", 3] }]);
  });

  it("loads from a path and a file URL", async () => {
    const path = await Deno.makeTempFile({ suffix: ".onnx" });
    try {
      await Deno.writeFile(path, exportOnnx(twoInputs()));
      for (const source of [path, new URL(`file://${path}`)]) {
        const model = await OnnxModel.load(source);
        assertEquals(model.inputNames, ["a", "b"]);
        await model.release();
      }
    } finally {
      await Deno.remove(path);
    }
  });

  it("run and predict give tfjs's outputs", async () => {
    const model = await loaded();
    const a = tf.tensor(floats(12), [3, 4]);
    const b = tf.tensor(floats(6), [3, 2]);
    const expected = twoInputs().predict([a, b]) as tf.Tensor;
    const out = await model.run({
      a: { data: floats(12), dims: [3, 4] },
      b: { data: floats(6), dims: [3, 2] },
    });
    assertEquals(out.scores.dims, [3, 3]);
    assertTensorClose({ values: out.scores.data, shape: out.scores.dims }, expected, { atol: 1e-5 }, "run");
    assertTensorClose(await model.predict([a, b]), expected, { atol: 1e-5 }, "predict");
    tf.dispose([a, b, expected]);
  });

  it("predictOnce loads, predicts like predict and passes prediction errors on", async () => {
    const bytes = exportOnnx(twoInputs());
    const a = tf.tensor(floats(8), [2, 4]);
    const b = tf.tensor(floats(4), [2, 2]);
    const expected = twoInputs().predict([a, b]) as tf.Tensor;
    assertTensorClose(await OnnxModel.predictOnce(bytes, [a, b]), expected, { atol: 1e-5 }, "predictOnce");
    await assertRejects(() => OnnxModel.predictOnce(bytes, a), Error, "takes 2 inputs");
    tf.dispose([a, b, expected]);
  });

  it("names the input, the expected and the actual shape on a shape mismatch", async () => {
    const model = await loaded();
    await assertRejects(
      () => model.run({ a: { data: floats(10), dims: [2, 5] }, b: { data: floats(4), dims: [2, 2] } }),
      Error,
      'ONNX input "a": expected shape [batch, 4] (float32), got [2, 5] (float32)',
    );
    await assertRejects(
      () => model.run({ a: { data: floats(8), dims: [2, 2, 2] }, b: { data: floats(4), dims: [2, 2] } }),
      Error,
      "expected shape [batch, 4] (float32), got [2, 2, 2]",
    );
  });

  it("rejects a symbolic dimension that differs between inputs", async () => {
    const model = await loaded();
    await assertRejects(
      () => model.run({ a: { data: floats(8), dims: [2, 4] }, b: { data: floats(6), dims: [3, 2] } }),
      Error,
      '"batch" is 2 in input "a" but 3 here',
    );
  });

  it("rejects a wrong dtype, missing or unknown inputs and data of the wrong length", async () => {
    const model = await loaded();
    const b = { data: floats(2), dims: [1, 2] };
    await assertRejects(
      () => model.run({ a: { data: new Int32Array(4), dims: [1, 4] }, b }),
      Error,
      'ONNX input "a": expected shape [batch, 4] (float32), got [1, 4] (int32): wrong dtype',
    );
    await assertRejects(() => model.run({ b }), Error, 'ONNX input "a" is missing');
    await assertRejects(
      () => model.run({ a: { data: floats(4), dims: [1, 4] }, b, c: b }),
      Error,
      'ONNX model has no input "c"',
    );
    await assertRejects(
      () => model.run({ a: { data: floats(3), dims: [1, 4] }, b }),
      Error,
      'ONNX input "a": dims [1, 4] need 4 values, got 3',
    );
    await assertRejects(() => model.predict(tf.zeros([1, 4])), Error, "takes 2 inputs");
  });
});
