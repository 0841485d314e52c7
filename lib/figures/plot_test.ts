import { decode } from "fast-png";
import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { grayscalePngUrl, lineChart, renderSvg } from "./plot.ts";
import { summarizeSvg } from "./svg_summary.ts";

const points = [
  { x: 1, y: 10, series: "raw" },
  { x: 2, y: 5, series: "raw" },
  { x: 3, y: 2, series: "raw" },
  { x: 1, y: 1, series: "scaled" },
  { x: 2, y: 0.5, series: "scaled" },
  { x: 3, y: 0.2, series: "scaled" },
];

describe("plot", () => {
  it("lineChart draws one line per series with the title, subtitle, axis titles and legend", async () => {
    const svg = await renderSvg(lineChart({
      title: "Loss per step",
      subtitle: "seed 1",
      points,
      x: { title: "step (batches)" },
      y: { title: "loss (nats)", log: true },
      seriesTitle: "inputs",
    }));
    const summary = summarizeSvg(svg);
    assertEquals(summary.marks, { line: 2 });
    for (
      const text of ["Loss per step", "seed 1", "step (batches)", "loss (nats)", "inputs", "raw", "scaled"]
    ) {
      assertEquals(summary.texts.includes(text), true, `"${text}" missing from ${summary.texts}`);
    }
  });

  it("a log y axis is labelled down to 0.1 where a linear one starts at 0", async () => {
    const labels = async (log: boolean) =>
      summarizeSvg(
        await renderSvg(
          lineChart({ title: "t", points, x: { title: "x" }, y: { title: "y", log }, seriesTitle: "s" }),
        ),
      ).texts;
    assertEquals((await labels(true)).includes("0.1"), true);
    assertEquals((await labels(false)).includes("0.1"), false);
  });

  it("grayscalePngUrl encodes a PNG that decodes to the same pixels", () => {
    const pixels = Uint8Array.from([0, 64, 128, 255, 1, 2]);
    const url = grayscalePngUrl(pixels, 3, 2);
    const png = decode(Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0)));
    assertEquals([png.width, png.height, png.channels], [3, 2, 1]);
    assertEquals(Array.from(png.data), Array.from(pixels));
  });

  it("grayscalePngUrl rejects a pixel count that does not match the size", () => {
    assertThrows(() => grayscalePngUrl(new Uint8Array(5), 3, 2), Error, "5 pixels is not 3 × 2");
  });
});
