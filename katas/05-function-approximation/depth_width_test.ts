import { assertEquals, assertGreater } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { measured } from "@lib/testing/measure.ts";
import { once } from "@lib/testing/once.ts";
import { buildMlp, DEEP, parameterCount, widthForBudget } from "./network.ts";
import { assertClearError } from "@lib/testing/error_assert.ts";
import { deep, trainedMlp } from "./fixtures_shared.ts";

/** One hidden layer with the same parameter count as the 3×128 MLP, trained the same way. */
const wide = once(() => trainedMlp([widthForBudget(parameterCount(DEEP), 1)], 2));

describe("kata 05, step 4: depth vs width", () => {
  it("parameterCount counts weights and biases the way tfjs does", () => {
    for (const hidden of [[], [5], [128, 128, 128], [7, 3, 11, 2]]) {
      const expected = buildMlp(hidden).countParams();
      assertEquals(parameterCount(hidden), expected, `parameterCount([${hidden}])`);
    }
    assertEquals(parameterCount(DEEP), 33537, "3×128 on 2 inputs: 384 + 2 × 16,512 + 129");
    assertEquals(parameterCount([10], 5), 71, "[10] on 5 inputs: 6 × 10 + 11");
  });

  it("widthForBudget gives the width whose parameter count is closest to the budget", () => {
    assertEquals(widthForBudget(33537, 1), 8384, "one layer with the 3×128 budget: 4w + 1 = 33,537");
    for (const depth of [2, 3, 6]) {
      const count = (w: number) => (2 + 1) * w + (depth - 1) * (w + 1) * w + (w + 1);
      let best = 1;
      for (let w = 1; w < 300; w++) {
        if (Math.abs(count(w) - 33537) < Math.abs(count(best) - 33537)) best = w;
      }
      assertEquals(widthForBudget(33537, depth), best, `widthForBudget(33537, ${depth})`);
    }
    assertClearError(() => widthForBudget(33537, 0), "depth");
  });

  it("three layers of 128 beat one layer of 8,384 trained the same way", () => {
    const deepError = deep().inDomain;
    const wideError = wide().inDomain;
    const ratio = measured("wide / deep in-domain MSE", wideError / deepError);
    // observed 9.8–103 over seeds 1–10 (wasm); asserted > 3
    assertGreater(
      ratio,
      3,
      `the wide net's error (${wideError.toExponential(2)}) should be > 3× the deep net's (${
        deepError.toExponential(2)
      })`,
    );
  });
});
