import { assertEquals } from "./assert.ts";
import { describe, it } from "./bdd.ts";

const ran: string[] = [];

describe("@std/testing/bdd compatibility: nesting", () => {
  it("runs a test as a step", () => void ran.push("first"));

  describe("nested", () => {
    it("runs a nested test as a step of a step", () => void ran.push("nested"));
  });

  it.ignore("is skipped", () => {
    throw new Error("should not run");
  });

  it("runs the tests in order, the ignored one not at all", () => assertEquals(ran, ["first", "nested"]));
});

it("a top-level it is its own test", () => {
  assertEquals(1 + 1, 2);
});
