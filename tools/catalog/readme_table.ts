/**
 * The repository README's table of katas, generated from the manifests (number, title linked to the kata's
 * README, `headline`), between the markers `<!-- katas -->` and `<!-- /katas -->`: a new kata appears in it
 * when `deno task readme` runs, and `deno task verify` fails while the table differs from the manifests.
 *
 * @example Usage
 * ```ts
 * import { kataTableRows } from "./readme_table.ts";
 * import { fakeKata } from "../testing/fake_kata.ts";
 * console.log(kataTableRows([fakeKata("07-x")])); // [["07", "[07-x](katas/07-x/README.md)", "?"]]
 * ```
 * @module
 */
import { markdownTable } from "@lib/console/markdown_table.ts";
import type { Kata } from "./katas.ts";

const BLOCK = /<!-- katas -->\n([\s\S]*?)\n?<!-- \/katas -->/;
const HEADER = ["#", "kata", "the question"];

/**
 * The table's rows: number, linked title, headline.
 *
 * @example Usage
 * ```ts
 * import { kataTableRows } from "./readme_table.ts";
 * console.log(kataTableRows([]).length); // 0
 * ```
 * @param katas The katas, in order.
 * @returns One row per kata.
 */
export function kataTableRows(katas: Kata[]): string[][] {
  return katas.map((k) => [k.id, `[${k.meta.title}](katas/${k.slug}/README.md)`, k.meta.headline]);
}

/** A markdown table's body cells, trimmed (so the check does not depend on how `deno fmt` pads it). */
function cellsOf(table: string): string[][] {
  return table.split("\n").filter((l) => l.trim().startsWith("|")).slice(2).map((line) =>
    line.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replaceAll("\\|", "|"))
  );
}

/**
 * `readme` with its kata table regenerated from `katas`.
 *
 * @example Usage
 * ```ts
 * import { withKataTable } from "./readme_table.ts";
 * console.log(withKataTable("x\n<!-- katas -->\nold\n<!-- /katas -->\n", []).includes("| # | kata |")); // true
 * ```
 * @param readme The README's text.
 * @param katas The katas.
 * @returns The new text.
 * @throws {Error} When the README has no markers.
 */
export function withKataTable(readme: string, katas: Kata[]): string {
  if (!BLOCK.test(readme)) {
    throw new Error("README.md has no <!-- katas --> … <!-- /katas --> block for the kata table");
  }
  const table = markdownTable(HEADER, kataTableRows(katas), { aligned: true });
  return readme.replace(BLOCK, () => `<!-- katas -->\n${table}\n<!-- /katas -->`);
}

/**
 * Whether the README's kata table says what the manifests say; one sentence per difference.
 *
 * @example Usage
 * ```ts
 * import { kataTableProblems } from "./readme_table.ts";
 * console.log(kataTableProblems("no table", [])); // ["README.md has no <!-- katas --> block; run `deno task readme`"]
 * ```
 * @param readme The README's text.
 * @param katas The katas.
 * @returns The problems (none when it is current).
 */
export function kataTableProblems(readme: string, katas: Kata[]): string[] {
  const found = BLOCK.exec(readme);
  if (!found) return ["README.md has no <!-- katas --> block; run `deno task readme`"];
  const want = kataTableRows(katas).map((r) => r.join(" | "));
  const have = cellsOf(found[1]).map((r) => r.join(" | "));
  const missing = want.filter((r) => !have.includes(r));
  const extra = have.filter((r) => !want.includes(r));
  return [
    ...missing.map((r) => `README.md's kata table lacks "${r}"; run \`deno task readme\``),
    ...extra.map((r) =>
      `README.md's kata table has "${r}", which no manifest says; run \`deno task readme\``
    ),
  ];
}
