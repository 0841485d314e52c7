import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { loadLibsvm, trainSvm } from "./svm.ts";

const XOR = [[0, 0], [1, 1], [1, 0], [0, 1]];
const XOR_LABELS = [0, 0, 1, 1];

describe("svm", () => {
  it("loads in Deno quietly and leaves self and fetch as they were", async () => {
    const self = globalThis.self;
    const fetch = globalThis.fetch;
    const printed: unknown[][] = [];
    const log = console.log;
    const warn = console.warn;
    // LIBSVM binds its print functions when it loads: spy on them from the first load on.
    console.log = (...args: unknown[]) => void printed.push(args);
    console.warn = (...args: unknown[]) => void printed.push(args);
    try {
      const model = await trainSvm(XOR, XOR_LABELS, { kernel: "rbf", gamma: 1, cost: 10 });
      model.free();
    } finally {
      console.log = log;
      console.warn = warn;
    }
    assertEquals(printed, [], "loading and training should print nothing");
    assertStrictEquals(globalThis.self, self, "self should be restored");
    assertStrictEquals(globalThis.fetch, fetch, "fetch should be restored");
    assertStrictEquals(await loadLibsvm(), await loadLibsvm(), "the module should load once");
  });

  it("an rbf kernel separates xor and a linear one cannot", async () => {
    const rbf = await trainSvm(XOR, XOR_LABELS, { kernel: "rbf", gamma: 1, cost: 10 });
    const linear = await trainSvm(XOR, XOR_LABELS, { kernel: "linear", cost: 10 });
    try {
      assertEquals(rbf.predict(XOR), XOR_LABELS);
      assert(linear.predict(XOR).some((p, i) => p !== XOR_LABELS[i]), "a line cannot separate xor");
    } finally {
      rbf.free();
      linear.free();
    }
  });

  it("takes typed-array rows and reports support vectors", async () => {
    const rows = [-2, -1, 1, 2].map((v) => Float32Array.of(v));
    const model = await trainSvm(rows, [0, 0, 1, 1], { kernel: "linear", cost: 100 });
    try {
      assertEquals(model.predict([Float32Array.of(-5), Float32Array.of(5)]), [0, 1]);
      assertEquals(model.supportVectors().sort(), [1, 2], "the two points nearest the boundary");
    } finally {
      model.free();
    }
  });

  it("rejects bad input with a message naming the fix", async () => {
    await assertRejects(() => trainSvm([[0], [1]], [0]), RangeError, "one label per sample");
    await assertRejects(() => trainSvm([[0], [1, 2]], [0, 1]), RangeError, "sample 1 has 2 features");
    await assertRejects(() => trainSvm([], []), RangeError, "no samples");
    await assertRejects(
      () => trainSvm([[0], [1]], [0, 1], { kernel: "cubic" as "rbf" }),
      RangeError,
      'unknown kernel "cubic"',
    );
    const model = await trainSvm([[0], [1]], [0, 1], { kernel: "linear" });
    assertThrows(() => model.predict([[0, 1]]), RangeError, "the model expects 1");
    model.free();
    assertThrows(() => model.predict([[0]]), Error, "the model was freed");
    assertThrows(() => model.supportVectors(), Error, "the model was freed");
  });
});
