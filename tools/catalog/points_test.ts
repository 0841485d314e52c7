import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { earnedPoints, splitPoints } from "./points.ts";

describe("points", () => {
  it("split evenly by default, by weight when kata.json names a test by full or own name", () => {
    assertEquals(splitPoints(9, ["s > a", "s > b", "s > c"]).points, [3, 3, 3]);
    const split = splitPoints(10, ["s > a", "s > b", "t > b"], { "s > b": 3, a: 1 });
    assertEquals(split.points, [2, 6, 2]);
    assertEquals(split.unused, []);
  });

  it("reports weight keys that name no test", () => {
    assertEquals(splitPoints(10, ["s > a"], { typo: 2 }).unused, ["typo"]);
  });

  it("passing every test earns exactly the kata's points; none earns zero", () => {
    const { weights } = splitPoints(10, Array.from({ length: 16 }, (_, i) => `t${i}`));
    assertEquals(earnedPoints(10, weights, weights.map(() => true)), 10);
    assertEquals(earnedPoints(10, weights, weights.map(() => false)), 0);
    assertEquals(earnedPoints(10, [3, 1], [true, false]), 7.5);
  });
});
