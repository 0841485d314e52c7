import { assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { summarizeSvg } from "./svg_summary.ts";

describe("summarizeSvg", () => {
  it("counts the items of data marks only, not of axes or legends", () => {
    const summary = summarizeSvg(
      `<svg width="20" height="10">
        <g class="mark-symbol role-mark marks"><path d="M0,0"/><path d="M1,1"/></g>
        <g class="mark-symbol role-legend-symbol"><path d="M2,2"/></g>
        <g class="mark-rect role-mark"><path d="M3,3"/></g>
        <g class="mark-rect role-mark"><path d="M4,4"/></g>
      </svg>`,
    );
    assertEquals(summary.marks, { symbol: 2, rect: 2 });
    assertEquals([summary.width, summary.height], [20, 10]);
  });

  it("collects texts in document order, unescaping entities", () => {
    const summary = summarizeSvg(`<svg><text>Loss &amp; accuracy</text><g><text>step</text></g></svg>`);
    assertEquals(summary.texts, ["Loss & accuracy", "step"]);
  });

  it("rejects malformed XML and a root that is not <svg>", () => {
    assertThrows(() => summarizeSvg("<svg><g></svg>"), Error, "not well-formed SVG");
    assertThrows(() => summarizeSvg("<html/>"), Error, "root element is not <svg>");
  });
});
