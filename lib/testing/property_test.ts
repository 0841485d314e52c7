import fc from "fast-check";
import { assertEquals, AssertionError, assertStringIncludes, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { notImplemented } from "./not_implemented.ts";
import { assertProperty } from "./property.ts";

describe("assertProperty", () => {
  it("passes a law that holds", () => {
    assertProperty(fc.property(fc.integer(), fc.integer(), (a, b) => a + b === b + a), { seed: 1 });
  });

  it("throws the cause first, with its name, then the shrunk counterexample and its replay", () => {
    const error = assertThrows((): void =>
      assertProperty(
        fc.property(fc.nat(1000), (n) => {
          if (n >= 10) throw new RangeError(`${n} is too big`);
        }),
        { seed: 7 },
      ), Error);
    assertEquals(error.name, "RangeError");
    const [first, second] = error.message.split("\n");
    assertEquals(first, "10 is too big");
    assertStringIncludes(second, "smallest counterexample: [10] (fast-check seed 7, path ");
  });

  it("keeps an assertion an AssertionError and a stub's NotImplementedError a NotImplementedError", () => {
    assertThrows(
      () => assertProperty(fc.property(fc.nat(), (n) => assertEquals(n, -1)), { seed: 3 }),
      AssertionError,
      "Values are not equal",
    );
    const error = assertThrows(
      (): void =>
        assertProperty(fc.property(fc.nat(), () => void notImplemented("rSquared", 2)), { seed: 3 }),
      Error,
    );
    assertEquals(error.name, "NotImplementedError");
    assertStringIncludes(error.message, "not implemented yet: rSquared");
  });
});
