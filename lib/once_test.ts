import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { once } from "./once.ts";

describe("once", () => {
  it("computes once and returns the same value", () => {
    let calls = 0;
    const f = once(() => ({ n: ++calls }));
    assertEquals(f() === f(), true);
    assertEquals(calls, 1);
  });

  it("rethrows the same error without recomputing", () => {
    let calls = 0;
    const f = once((): number => {
      calls++;
      throw new Error("broken");
    });
    assertThrows(f, Error, "broken");
    assertThrows(f, Error, "broken");
    assertEquals(calls, 1);
  });

  it("shares one promise, also a rejected one", async () => {
    const f = once(() => Promise.reject(new Error("no")));
    await assertRejects(f, Error, "no");
    await assertRejects(f, Error, "no");
  });
});
