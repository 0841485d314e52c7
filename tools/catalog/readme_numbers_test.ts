import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import type { Calibration } from "./calibration.ts";
import { markedNumbers, renderMeasuredNumbers } from "./readme_numbers.ts";

const calibration: Calibration = {
  kata: "06-x",
  backend: "wasm",
  seeds: [1, 2, 3, 4],
  measures: { "R² minmax": [0.63, 0.87, 0.75, null], "spread raw": [7.2, 26.4, 10, 12] },
  defaultSeed: { seed: 42, measures: { "R² minmax": 0.754 } },
};
const mark = (label: string, kind: string, text: string) =>
  `<!-- measured "${label}" ${kind} -->${text}<!-- /measured -->`;

describe("README numbers from the calibration file", () => {
  it("fills range, min, max, mean, default and counts", () => {
    const text = [
      mark("R² minmax", "range", "?"),
      mark("R² minmax", "min", "?"),
      mark("spread raw", "max", "?"),
      mark("spread raw", "mean", "?"),
      mark("R² minmax", "default", "?"),
      mark("spread raw", "count > 11", "?"),
    ].join(" ");
    const { text: out, problems } = renderMeasuredNumbers(text, calibration);
    assertEquals(problems, []);
    assertEquals(markedNumbers(out).length, 6);
    assertEquals(
      out.replace(/<!--.*?-->/g, "|"),
      "|0.63 to 0.87| |0.63| |26.4| |13.9| |0.754| |2 of 4|",
    );
  });

  it("a stale number is reported as changed, so verify can fail on it", () => {
    const { changed } = renderMeasuredNumbers(
      `R² ${mark("R² minmax", "range", "0.60 to 0.87")}`,
      calibration,
    );
    assertEquals(changed, ['"R² minmax" range: 0.60 to 0.87 → 0.63 to 0.87']);
  });

  it("a label the file lacks is a problem, and the marker is left as it was", () => {
    const text = mark("no such", "range", "1 to 2");
    const { text: out, problems } = renderMeasuredNumbers(text, calibration);
    assertEquals(out, text);
    assertEquals(problems.length, 1);
  });
});

describe("README numbers in a markdown table", () => {
  it("a label's | is written \\| so the table keeps its cells", () => {
    const c: Calibration = {
      kata: "k",
      backend: "wasm",
      seeds: [1],
      measures: { "max |x|": [2] },
      defaultSeed: { seed: 42, measures: {} },
    };
    const text = '| a | <!-- measured "max \\|x\\|" max -->?<!-- /measured --> |';
    assertEquals(
      renderMeasuredNumbers(text, c).text,
      '| a | <!-- measured "max \\|x\\|" max -->2<!-- /measured --> |',
    );
  });
});
