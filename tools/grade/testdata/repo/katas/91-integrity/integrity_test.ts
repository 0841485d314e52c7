import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { checked, later, leftovers, lookup, mean, squares } from "./integrity.ts";

describe("integrity", () => {
  it("mean", () => assertAlmostEquals(mean([1, 2, 3, 4]), 2.5, 1e-9));
  it("squares", () => assertEquals(squares(4), [0, 1, 4, 9]));
  it("later", async () => assertEquals(await later(3), 9));
  it("checked", async () => {
    assertThrows(() => checked(-1), RangeError);
    await assertRejects(() => Promise.reject(new Error("the harness itself")), Error);
    assertEquals(checked(2), 2);
  });
  it("bounds", () => assert(Math.abs(mean([-1, -3]) + 2) < 1e-9 && Math.max(...squares(3)) === 4, "bounds"));
  it("starts clean", async () => assertEquals(await leftovers(), "none"));
  it("looks up", async () => assertEquals(await lookup("public"), "public value"));
});
