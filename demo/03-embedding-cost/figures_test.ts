// Kata 03's figures, drawn from fixed numbers (no experiment runs): each must be a well-formed SVG with the
// expected marks, title and axis labels.
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertShows, figure } from "../figure_assert.ts";
import { drawFigures as embeddingCost, ONE_TABLE } from "./figures.ts";

describe("demo 03: figures from fixed numbers", () => {
  it("03: bytes written and step time against the vocabulary, a line per design", async () => {
    const point = (design: string, vocab: number, value: number) => ({ design, vocab, value });
    const figures = await embeddingCost({
      bytes: [
        point("Adam", 20_000, 87e6),
        point("Adam", 200_000, 870e6),
        point("lazy Adam", 20_000, 24e6),
        point("lazy Adam", 200_000, 24e6),
      ],
      tableBytes: [{ vocab: 20_000, bytes: 5.12e6 }, { vocab: 200_000, bytes: 51.2e6 }],
      times: {
        points: [point("Adam", 20_000, 140), point("Adam", 2_000_000, 4000), point("lazy Adam", 20_000, 60)],
        source: "fixed times",
      },
      setup: "fixed numbers",
    });
    assertEquals(figures.map((f) => f.name), ["bytes-per-step", "step-time"]);
    const bytes = figure(figures, "bytes-per-step");
    assertEquals(bytes.marks, { line: 3, symbol: 6 }); // Adam, lazy Adam and one table; a dot per point
    assertShows(bytes, [
      "What one training step writes, against the vocabulary",
      "vocabulary V (rows of the embedding table, log scale)",
      "bytes written into new tfjs buffers per step (MB, log scale)",
      "lazy Adam",
      ONE_TABLE,
      "20,000",
      "200,000",
    ]);
    const time = figure(figures, "step-time");
    assertEquals(time.marks, { line: 2, symbol: 3 });
    assertShows(time, ["time per step (ms, log scale)", "fixed numbers", "fixed times", "2,000,000"]);
  });
});
