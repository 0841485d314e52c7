import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "@lib/backend/init.ts";
import { GraphBuilder } from "./graph.ts";
import { attribute, decodeModel, encodeModel, int64Tensor, onnx } from "./proto.ts";

await initBackend();

describe("GraphBuilder and ONNX protobuf helpers", () => {
  it("gives every value a unique name", () => {
    const graph = new GraphBuilder();
    graph.reserve("x");
    assertEquals([graph.unique("x"), graph.unique("x"), graph.unique("y")], ["x_1", "x_2", "y"]);
    assertThrows(() => graph.reserve("y"), Error, '"y" is used twice');
  });

  it("inserts one Transpose per layout change and reuses it", () => {
    const graph = new GraphBuilder();
    const image = tf.input({ shape: [5, 5, 3] });
    graph.hold(image, "image", "tf");
    const first = graph.value(image, "nchw");
    const second = graph.value(image, "nchw");
    assertEquals(first, second);
    assertEquals(graph.nodes.map((n) => [n.opType, n.input, n.attribute?.[0].ints]), [[
      "Transpose",
      ["image"],
      [0, 3, 1, 2],
    ]]);
    assertEquals(graph.value(image, "any"), { name: "image", layout: "tf" });
  });

  it("refuses to hold a tensor that is not rank 4 as NCHW", () => {
    const graph = new GraphBuilder();
    const flat = tf.input({ shape: [5] });
    assertThrows(() => graph.hold(flat, "flat", "nchw"), Error, "rank 2");
    graph.hold(flat, "flat", "tf");
    assertThrows(() => graph.value(flat, "nchw"), Error, "cannot be transposed");
  });

  it("types attributes explicitly: integers INT, floats only when wrapped", () => {
    const T = onnx.AttributeProto.AttributeType;
    assertEquals(attribute("axis", 1).type, T.INT);
    assertEquals(attribute("alpha", { float: 1 }).type, T.FLOAT);
    assertEquals(attribute("activations", ["Tanh"]).type, T.STRINGS);
    assertThrows(() => attribute("alpha", 0.2), Error, "wrap floats as { float }");
  });

  it("stores int64 tensors little-endian and round-trips a model through protobuf", () => {
    const shape = int64Tensor("shape", [0, -1], [2]);
    assertEquals([...new BigInt64Array(shape.rawData!.slice().buffer)], [0n, -1n]);
    const model = decodeModel(encodeModel({ irVersion: 8, graph: { name: "g", initializer: [shape] } }));
    assertEquals(model.graph?.initializer?.[0].name, "shape");
  });
});
