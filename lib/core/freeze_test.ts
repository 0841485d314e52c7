import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import fc from "fast-check";
import { assertProperty } from "../testing/property.ts";
import { deepFreeze, isDeepFrozen } from "./freeze.ts";

describe("deepFreeze", () => {
  it("freezes every plain object and array at every depth and returns the same value", () => {
    const value = { a: 1, inner: { range: [0, 100], list: [{ n: 1 }] }, [Symbol.for("s")]: { t: [2] } };
    const frozen = deepFreeze(value);
    assertStrictEquals(frozen, value);
    for (const part of [value, value.inner, value.inner.range, value.inner.list, value.inner.list[0]]) {
      assert(Object.isFrozen(part));
    }
    assert(Object.isFrozen(value[Symbol.for("s")].t));
    assert(isDeepFrozen(value));
  });

  it("makes writes throw in strict code and leaves the values as they were", () => {
    const rules = deepFreeze({ target: 0.01, far: { x: [200, 210] as [number, number] } });
    assertThrows(() => {
      (rules as { target: number }).target = 1e9;
    }, TypeError);
    assertThrows(() => {
      (rules.far.x as [number, number])[1] = 300;
    }, TypeError);
    assertThrows(() => (rules.far.x as unknown as number[]).push(1), TypeError);
    assertThrows(() => Object.defineProperty(rules, "target", { value: 5 }), TypeError);
    assertEquals(rules, { target: 0.01, far: { x: [200, 210] } });
  });

  it("reaches below a value that was frozen only at the top, and survives cycles", () => {
    const shallow = Object.freeze({ inner: { n: 1 } });
    assert(!isDeepFrozen(shallow));
    deepFreeze(shallow);
    assert(Object.isFrozen(shallow.inner));
    const cyclic: { self?: unknown; list: unknown[] } = { list: [] };
    cyclic.self = cyclic;
    cyclic.list.push(cyclic);
    deepFreeze(cyclic);
    assert(isDeepFrozen(cyclic));
  });

  it("leaves class instances, typed arrays and primitives as they are", () => {
    const typed = new Float32Array(2);
    const date = new Date(0);
    const holder = deepFreeze({ typed, date });
    assert(Object.isFrozen(holder));
    assert(!Object.isFrozen(date));
    typed[0] = 3;
    assertEquals(typed[0], 3);
    assertEquals(deepFreeze(7), 7);
    assertEquals(deepFreeze(null), null);
  });

  it("any JSON-like value comes out deeply frozen and equal to a copy taken before", () => {
    assertProperty(
      fc.property(fc.jsonValue(), (value) => {
        const before = structuredClone(value);
        deepFreeze(value as unknown);
        assert(isDeepFrozen(value));
        assertEquals(value, before);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
