import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { once, oncePer } from "./once.ts";

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

describe("oncePer", () => {
  it("computes once per argument list and keeps the lists apart", () => {
    const calls: string[] = [];
    const f = oncePer((inputs: string, outputs: string) => {
      calls.push(`${inputs}/${outputs}`);
      return { inputs, outputs };
    });
    assertEquals(f("raw", "logits") === f("raw", "logits"), true);
    assertEquals(f("raw", "probabilities").outputs, "probabilities");
    assertEquals(calls, ["raw/logits", "raw/probabilities"]);
  });

  it("rethrows an argument list's error without recomputing it", () => {
    let calls = 0;
    const f = oncePer((n: number) => {
      calls++;
      if (n < 0) throw new Error(`negative: ${n}`);
      return n;
    });
    assertThrows(() => f(-1), Error, "negative: -1");
    assertThrows(() => f(-1), Error, "negative: -1");
    assertEquals(f(2), 2);
    assertEquals(calls, 2);
  });
});
