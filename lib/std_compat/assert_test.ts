import * as std from "./assert.ts";
import { describe, it } from "./bdd.ts";

const { AssertionError } = std;

/** Expects `fn` to throw an AssertionError whose message includes `text`. */
function failsWith(fn: () => unknown, text = ""): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof AssertionError)) throw new Error(`expected AssertionError, got ${error}`);
    if (!error.message.includes(text)) {
      throw new Error(`message ${JSON.stringify(error.message)} lacks ${text}`);
    }
    return;
  }
  throw new Error("expected a failure");
}

describe("@std/assert compatibility", () => {
  it("assert and assertExists", () => {
    std.assert(1);
    failsWith(() => std.assert(0, "custom"), "custom");
    std.assertExists(0);
    failsWith(() => std.assertExists(null), "to not be null or undefined");
  });

  it("assertEquals is deep and strict; assertNotEquals is its negation", () => {
    std.assertEquals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] });
    failsWith(() => std.assertEquals([1, 2], [1, 3]), "Values are not equal");
    failsWith(() => std.assertEquals<unknown>(1, "1"));
    std.assertNotEquals([1], [2]);
    failsWith(() => std.assertNotEquals([1], [1]), "not to be");
  });

  it("assertStrictEquals compares identity", () => {
    const a = {};
    std.assertStrictEquals(a, a);
    failsWith(() => std.assertStrictEquals({}, {}), "not strictly equal");
    std.assertStrictEquals(NaN, NaN);
  });

  it("assertAlmostEquals uses an absolute tolerance, default 1e-7", () => {
    std.assertAlmostEquals(0.1 + 0.2, 0.3);
    std.assertAlmostEquals(1, 1.05, 0.1);
    failsWith(() => std.assertAlmostEquals(1, 1.2, 0.1), "to be close to");
    std.assertAlmostEquals(Infinity, Infinity);
    failsWith(() => std.assertAlmostEquals(NaN, 0));
  });

  it("ordering assertions", () => {
    std.assertGreater(2, 1);
    std.assertGreaterOrEqual(2, 2);
    std.assertLess(1, 2);
    std.assertLessOrEqual(2, 2);
    failsWith(() => std.assertGreater(1, 1), "Expect 1 > 1");
    failsWith(() => std.assertGreaterOrEqual(1, 2), ">=");
    failsWith(() => std.assertLess(2, 1), "<");
    failsWith(() => std.assertLessOrEqual(3, 2), "<=");
    failsWith(() => std.assertGreater(NaN, 0));
  });

  it("assertInstanceOf", () => {
    std.assertInstanceOf(new Date(), Date);
    failsWith(() => std.assertInstanceOf([], Date), 'instance of "Date" but was "Array"');
  });

  it("assertThrows returns the error and checks class and message", () => {
    const error = std.assertThrows(
      () => {
        throw new TypeError("bad input");
      },
      TypeError,
      "bad",
    );
    std.assertEquals(error.message, "bad input");
    failsWith(() => std.assertThrows(() => {}), "Expected function to throw");
    failsWith(() =>
      std.assertThrows(() => {
        throw new Error("x");
      }, TypeError), "instance of");
    failsWith(() =>
      std.assertThrows(
        () => {
          throw new Error("x");
        },
        Error,
        "y",
      ), "to include");
  });

  it("assertRejects awaits and checks the rejection", async () => {
    const error = await std.assertRejects(() => Promise.reject(new RangeError("far")), RangeError, "far");
    std.assertEquals(error.message, "far");
    let caught: unknown;
    try {
      await std.assertRejects(() => Promise.resolve(1));
    } catch (e) {
      caught = e;
    }
    std.assertInstanceOf(caught, AssertionError);
  });

  it("fail always throws", () => {
    failsWith(() => std.fail("deliberate"), "Failed assertion: deliberate");
  });
});
