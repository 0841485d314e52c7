import { assert, assertAlmostEquals, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { createRng, DEFAULT_SEED, kataSeed, seedEverything } from "./random.ts";

describe("random", () => {
  it("the same seed gives the same stream, another seed another", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).uniform);
    assertEquals(draw(3), draw(3));
    assertNotEquals(draw(3), draw(4));
  });

  it("normal draws have mean ~0 and variance ~1", () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 20000 }, rng.normal);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    assertAlmostEquals(mean, 0, 0.03);
    assertAlmostEquals(variance, 1, 0.05);
  });

  it("int stays in range and shuffle is a permutation", () => {
    const rng = createRng(2);
    assert(
      Array.from({ length: 1000 }, () => rng.int(7)).every((v) => v >= 0 && v < 7 && Number.isInteger(v)),
    );
    assertEquals(rng.shuffle([1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5]);
  });

  it("seedEverything makes Math.random repeatable and restores it", () => {
    const original = Math.random;
    const restore = seedEverything(9);
    const a = [Math.random(), Math.random()];
    seedEverything(9);
    assertEquals([Math.random(), Math.random()], a);
    restore();
    assertEquals(Math.random, original);
  });

  it("kataSeed reads KATA_SEED and rejects non-integers", () => {
    const saved = Deno.env.get("KATA_SEED");
    try {
      Deno.env.delete("KATA_SEED");
      assertEquals(kataSeed(), DEFAULT_SEED);
      Deno.env.set("KATA_SEED", "17");
      assertEquals(kataSeed(), 17);
      Deno.env.set("KATA_SEED", "seven");
      assertThrows(() => kataSeed(), Error, "KATA_SEED");
    } finally {
      saved === undefined ? Deno.env.delete("KATA_SEED") : Deno.env.set("KATA_SEED", saved);
    }
  });
});
