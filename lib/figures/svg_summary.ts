/**
 * Reads back an SVG rendered by vega ({@linkcode renderSvg} in `plot.ts`) with a real XML
 * parser, so tests can check a figure: that it is well-formed, how many items each data
 * mark drew (lines, symbols, rects, images, texts) and which texts (title, axis titles,
 * labels, legend) it shows.
 *
 * @example Usage
 * ```ts
 * import { summarizeSvg } from "@lib/figures/svg_summary.ts";
 * const summary = summarizeSvg(
 *   '<svg width="10" height="5"><g class="mark-symbol role-mark"><path/><path/></g><text>Title</text></svg>',
 * );
 * console.log(summary.marks.symbol, summary.texts); // 2 [ "Title" ]
 * ```
 * @module
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** What an SVG figure contains. */
export interface SvgSummary {
  /** Width attribute of the root `<svg>`, in pixels. */
  width: number;
  /** Height attribute of the root `<svg>`, in pixels. */
  height: number;
  /** Items drawn per vega data mark type (`line`, `symbol`, `rect`, `image`, `text`, …), over all marks. */
  marks: Record<string, number>;
  /** Every text shown, in document order (titles, axis titles and labels, legend labels, text marks). */
  texts: string[];
}

type XmlNode = { [tag: string]: XmlNode[] | string } & { ":@"?: Record<string, string> };

/**
 * Parses `svg` and summarises it.
 *
 * @example Usage
 * ```ts
 * import { summarizeSvg } from "@lib/figures/svg_summary.ts";
 * console.log(summarizeSvg('<svg width="3" height="4"/>').width); // 3
 * ```
 * @param svg An SVG document.
 * @returns Its size, mark counts and texts.
 * @throws {Error} When `svg` is not well-formed XML or its root is not `<svg>`.
 */
export function summarizeSvg(svg: string): SvgSummary {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) {
    throw new Error(
      `not well-formed SVG: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true });
  const nodes = parser.parse(svg) as XmlNode[];
  const root = nodes.find((n) => "svg" in n);
  if (!root) throw new Error(`the root element is not <svg>: ${svg.slice(0, 60)}`);
  const summary: SvgSummary = {
    width: Number(root[":@"]?.width),
    height: Number(root[":@"]?.height),
    marks: {},
    texts: [],
  };
  const walk = (children: XmlNode[]) => {
    for (const node of children) {
      const tag = Object.keys(node).find((k) => k !== ":@")!;
      const content = node[tag];
      if (tag === "#text") continue;
      const mark = /(?:^| )mark-(\w+) role-mark(?: |$)/.exec(node[":@"]?.class ?? "");
      if (tag === "g" && mark) {
        const items = (content as XmlNode[]).filter((c) => !("#text" in c)).length;
        summary.marks[mark[1]] = (summary.marks[mark[1]] ?? 0) + items;
      }
      if (tag === "text" || tag === "tspan") {
        const text = (content as XmlNode[]).filter((c) => "#text" in c).map((c) => String(c["#text"])).join(
          "",
        );
        if (text) summary.texts.push(text);
      }
      if (Array.isArray(content)) walk(content);
    }
  };
  walk(root.svg as XmlNode[]);
  return summary;
}
