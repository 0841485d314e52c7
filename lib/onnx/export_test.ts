import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { kataSeed, seedEverything } from "@lib/core/random.ts";
import { exportOnnx, IR_VERSION, PRODUCER_NAME, UnsupportedLayerError, writeOnnx } from "./export.ts";
import { DataType, decodeModel, type ValueInfoProto } from "./proto.ts";
import { OnnxModel } from "./runtime.ts";

await initBackend();
seedEverything(kataSeed());

function classifier(): tf.LayersModel {
  const pixels = tf.input({ shape: [784], name: "pixels" });
  const hidden = tf.layers.dense({ units: 8, activation: "relu" }).apply(pixels) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, activation: "softmax", name: "probabilities" }).apply(hidden);
  return tf.model({ name: "demo_classifier", inputs: pixels, outputs: out as tf.SymbolicTensor });
}

function expectUnsupported(build: () => tf.LayersModel, ...fragments: string[]): void {
  const model = build();
  const error = assertThrows(() => exportOnnx(model), UnsupportedLayerError);
  for (const fragment of fragments) {
    assert(error.message.includes(fragment), `"${error.message}" names ${fragment}`);
  }
}

function apply(x: tf.SymbolicTensor, layer: tf.layers.Layer): tf.LayersModel {
  return tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
}

describe("exportOnnx", () => {
  it("states IR version, opset, producer and a doc string naming the source model", () => {
    const model = decodeModel(
      exportOnnx(classifier(), { modelName: "fashion", docString: "Trained on [0,1] pixels.", opset: 13 }),
    );
    assertEquals(Number(model.irVersion), IR_VERSION);
    assertEquals(model.opsetImport.map((o) => [o.domain, Number(o.version)]), [["", 13]]);
    assertEquals(model.producerName, PRODUCER_NAME);
    assert(model.producerVersion.length > 0, "producer version is set");
    assertEquals(model.graph!.name, "fashion");
    assert(
      model.docString.includes("Trained on [0,1] pixels."),
      `doc string keeps the caller's text: ${model.docString}`,
    );
    assert(
      model.docString.includes('"demo_classifier"'),
      `doc string names the source model: ${model.docString}`,
    );
    assertEquals(model.metadataProps.find((p) => p.key === "source_model")?.value, "demo_classifier");
  });

  it("names inputs and outputs after the model's layers, with a symbolic batch dimension", () => {
    const graph = decodeModel(exportOnnx(classifier())).graph!;
    const describe = (v: ValueInfoProto) => ({
      name: v.name,
      type: v.type!.tensorType!.elemType,
      dims: v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)),
    });
    assertEquals(graph.input!.map(describe), [{
      name: "pixels",
      type: DataType.FLOAT,
      dims: ["batch", 784],
    }]);
    assertEquals(graph.output!.map(describe), [{
      name: "probabilities",
      type: DataType.FLOAT,
      dims: ["batch", 10],
    }]);
  });

  it("lists nodes in topological order, every input defined before use", () => {
    const x = tf.input({ shape: [6, 6, 1] });
    const a = tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(x) as tf.SymbolicTensor;
    const out = tf.layers.flatten().apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
    const graph = decodeModel(exportOnnx(tf.model({ inputs: x, outputs: out }))).graph!;
    const defined = new Set([...graph.input!.map((v) => v.name), ...graph.initializer!.map((t) => t.name)]);
    for (const node of graph.node!) {
      for (const input of node.input!) {
        assert(input === "" || defined.has(input), `${node.name} uses ${input} before it is defined`);
      }
      node.output!.forEach((o) => defined.add(o));
    }
    for (const output of graph.output!) assert(defined.has(output.name), `output ${output.name} is produced`);
  });

  it("keeps int32 inputs int32", () => {
    const ids = tf.input({ shape: [3], dtype: "int32", name: "ids" });
    const vectors = tf.layers.embedding({ inputDim: 5, outputDim: 2 }).apply(ids) as tf.SymbolicTensor;
    const graph = decodeModel(exportOnnx(tf.model({ inputs: ids, outputs: vectors }))).graph!;
    assertEquals(graph.input![0].type!.tensorType!.elemType, DataType.INT32);
  });

  it("passes an input straight to an output through an Identity node", async () => {
    const x = tf.input({ shape: [3], name: "x" });
    const same = tf.layers.dropout({ rate: 0.5, name: "same" }).apply(x) as tf.SymbolicTensor;
    const bytes = exportOnnx(tf.model({ inputs: x, outputs: [same, x] }));
    assertEquals(decodeModel(bytes).graph!.node!.map((n) => n.opType), ["Identity", "Identity"]);
    const onnx = await OnnxModel.load(bytes);
    assertEquals(onnx.outputNames, ["same", "x_1"]);
    const out = await onnx.run({ x: { data: new Float32Array([4, 5, 6]), dims: [1, 3] } });
    assertEquals([...out.same.data], [4, 5, 6]);
    assertEquals([...out.x_1.data], [4, 5, 6]);
    await onnx.release();
  });

  it("writes a loadable .onnx file, creating folders", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/nested/model.onnx`;
      await writeOnnx(path, classifier());
      const onnx = await OnnxModel.load(path);
      assertEquals(onnx.inputNames, ["pixels"]);
      await onnx.release();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  it("rejects an unsupported layer class, naming the class and the layer", () => {
    expectUnsupported(
      () => apply(tf.input({ shape: [4, 3] }), tf.layers.gru({ units: 2, name: "my_gru" })),
      "GRU",
      '"my_gru"',
      "supported layers",
    );
  });

  it("rejects unsupported options, naming the layer class, name and option", () => {
    const image = () => tf.input({ shape: [6, 6, 3] });
    expectUnsupported(
      () =>
        apply(
          image(),
          tf.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: "channelsFirst", name: "cf" }),
        ),
      "Conv2D",
      '"cf"',
      'dataFormat="channelsFirst"',
    );
    expectUnsupported(
      () =>
        apply(
          tf.input({ shape: [null, null, 3] }),
          tf.layers.maxPooling2d({ poolSize: 2, padding: "same", name: "mp" }),
        ),
      "MaxPooling2D",
      '"mp"',
      'padding="same"',
    );
    expectUnsupported(
      () => apply(image(), tf.layers.batchNormalization({ axis: 1, name: "bn" })),
      "BatchNormalization",
      '"bn"',
      "axis=1",
    );
    expectUnsupported(
      () =>
        apply(
          tf.input({ shape: [5] }),
          tf.layers.embedding({ inputDim: 9, outputDim: 2, maskZero: true, name: "emb" }),
        ),
      "Embedding",
      '"emb"',
      "maskZero=true",
    );
    expectUnsupported(
      () =>
        apply(
          tf.input({ shape: [5, 2] }),
          tf.layers.lstm({ units: 2, recurrentActivation: "relu6", name: "rnn" }),
        ),
      "LSTM",
      '"rnn"',
      'recurrentActivation="relu6"',
    );
    expectUnsupported(
      () => apply(tf.input({ shape: [3, 4] }), tf.layers.softmax({ axis: [1, 2], name: "sm" })),
      "Softmax",
      '"sm"',
      "axis=[1,2]",
    );
  });

  it("rejects merges of differently shaped inputs and nested models", () => {
    const a = tf.input({ shape: [4] });
    const b = tf.input({ shape: [1] });
    const added = tf.layers.add({ name: "broadcast_add" }).apply([a, b]) as tf.SymbolicTensor;
    expectUnsupported(
      () => tf.model({ inputs: [a, b], outputs: added }),
      "Add",
      '"broadcast_add"',
      "input shapes",
    );
    const inner = tf.sequential({ name: "inner", layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const x = tf.input({ shape: [3] });
    expectUnsupported(
      () => tf.model({ inputs: x, outputs: inner.apply(x) as tf.SymbolicTensor }),
      '"inner"',
      "nested models",
    );
  });

  it("rejects an opset outside 13–17 and an unbuilt model", () => {
    assertThrows(() => exportOnnx(classifier(), { opset: 12 }), Error, "opset 12");
    assertThrows(() => exportOnnx(tf.sequential()), Error, "not built");
  });
});
