import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { describeThrown, safeThrown, THROWN_LIMIT } from "./thrown.ts";

const message = (value: unknown) => (safeThrown(value) as Error).message;
const trap = () => {
  throw new Error("trap ran");
};

describe("what a test threw, made reportable", () => {
  it("passes an ordinary error on unchanged, subclasses and causes included", () => {
    for (
      const error of [new Error("a"), new RangeError("b"), new Error("c", { cause: new TypeError("d") })]
    ) {
      assert(safeThrown(error) === error);
    }
    class MyError extends Error {
      override name = "MyError";
    }
    const mine = new MyError("e");
    assert(safeThrown(mine) === mine);
  });

  it("names what is not an Error, without looking inside a Proxy or calling a getter", () => {
    const proxy = new Proxy({}, {
      get: trap,
      getPrototypeOf: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
    });
    assertEquals(
      message(proxy),
      "the code under test threw a Proxy instead of an Error (the grader does not look inside it)",
    );
    assertEquals(message(null), "the code under test threw null instead of an Error");
    assertEquals(message(undefined), "the code under test threw undefined instead of an Error");
    assertEquals(message(Symbol("s")), "the code under test threw a Symbol instead of an Error: Symbol(s)");
    assertEquals(message(42), "the code under test threw number 42 instead of an Error");
    assertEquals(message("plain"), 'the code under test threw a string instead of an Error: "plain"');
    assertEquals(message({ a: 1 }), "the code under test threw an object instead of an Error: { a: 1 }");
    const getter = new Error("x");
    Object.defineProperty(getter, "message", { get: trap });
    assertEquals(message(getter), "the code under test threw an Error whose message is a getter");
    const proto = Object.create(new Proxy(Error.prototype, { get: trap }));
    assertEquals(
      message(Object.assign(Object.setPrototypeOf(new Error("y"), proto))),
      "the code under test threw an Error with getters or a Proxy in its prototypes",
    );
    const wrapped = new Error("z", { cause: proxy });
    assertEquals(message(wrapped), "z");
  });

  it("cuts a long message, keeping the error's name", () => {
    const long = safeThrown(new RangeError("x".repeat(10 * THROWN_LIMIT))) as Error;
    assertEquals(long.name, "RangeError");
    assert(long.stack!.length < THROWN_LIMIT + 100);
    assert(describeThrown("y".repeat(10 * THROWN_LIMIT)).length < THROWN_LIMIT + 200);
  });
});
