/**
 * Numbers in a kata's README that come from its calibration file, so they cannot go stale. A number is
 * written between two HTML comments (invisible on GitHub):
 *
 * ```md
 * held-out R² <!-- measured "R² minmax" range -->0.627 to 0.868<!-- /measured --> over seeds 1–20
 * ```
 *
 * Inside a markdown table, write a label's `|` as `\|`. The kinds are `range` ("a to b"), `min`, `max`, `mean`, `default` (the value at the default seed), and
 * `count < X` / `count > X` ("N of 20": how many calibration seeds fall on that side of X).
 * `deno task calibrate NN --write` rewrites every such number from the new file; `deno task verify` fails
 * when one differs from what the file gives, or names a measurement the file does not have.
 *
 * @example Usage
 * ```ts
 * import { renderMeasuredNumbers } from "./readme_numbers.ts";
 * const calibration = { kata: "k", backend: "wasm", seeds: [1, 2], measures: { a: [0.25, 0.5] }, defaultSeed: { seed: 42, measures: { a: 0.3 } } };
 * const text = 'R² <!-- measured "a" range -->?<!-- /measured -->';
 * console.log(renderMeasuredNumbers(text, calibration).text); // 'R² <!-- measured "a" range -->0.25 to 0.5<!-- /measured -->'
 * ```
 * @module
 */
import { type Calibration, countBeyond, formatNumber, referenceRange } from "./calibration.ts";

const MARKER =
  /<!-- measured "([^"]+)" (range|min|max|mean|default|count [<>] -?[\d.e+-]+) -->(.*?)<!-- \/measured -->/g;

/** {@linkcode renderMeasuredNumbers}'s result. */
export interface RenderedNumbers {
  /** The text with every marked number as the calibration gives it. */
  text: string;
  /** One line per marked number that changed: `label kind: old → new`. */
  changed: string[];
  /** One line per marker the calibration cannot fill (an unknown measurement). */
  problems: string[];
}

/** The text a marker of `kind` shows for `label`, or `undefined` when the calibration lacks the label. */
function valueText(calibration: Calibration, label: string, kind: string): string | undefined {
  if (kind === "default") {
    const value = calibration.defaultSeed.measures[label];
    return typeof value === "number" ? formatNumber(value) : undefined;
  }
  const range = referenceRange(calibration, label);
  if (!range) return undefined;
  const count = /^count ([<>]) (.+)$/.exec(kind);
  if (count) {
    const n = countBeyond(calibration, label, count[1] as "<" | ">", Number(count[2]));
    return `${n} of ${range.n}`;
  }
  if (kind === "range") return `${formatNumber(range.min)} to ${formatNumber(range.max)}`;
  return formatNumber(range[kind as "min" | "max" | "mean"]);
}

/**
 * Fills every `<!-- measured … -->` marker of `text` from `calibration`.
 *
 * @example Usage
 * ```ts
 * import { renderMeasuredNumbers } from "./readme_numbers.ts";
 * const calibration = { kata: "k", backend: "wasm", seeds: [1], measures: {}, defaultSeed: { seed: 42, measures: {} } };
 * console.log(renderMeasuredNumbers('<!-- measured "x" min -->1<!-- /measured -->', calibration).problems);
 * // ['"x" (min): calibration.json has no such measurement; run `deno task calibrate NN --write`, or fix the label']
 * ```
 * @param text A README.
 * @param calibration The kata's calibration.
 * @returns The new text, what changed, and the markers it could not fill.
 */
export function renderMeasuredNumbers(text: string, calibration: Calibration): RenderedNumbers {
  const changed: string[] = [];
  const problems: string[] = [];
  const out = text.replace(MARKER, (whole, written: string, kind: string, old: string) => {
    const label = unescapeLabel(written);
    const value = valueText(calibration, label, kind);
    if (value === undefined) {
      problems.push(
        `"${label}" (${kind}): calibration.json has no such measurement; run \`deno task calibrate NN --write\`, or fix the label`,
      );
      return whole;
    }
    if (value !== old) changed.push(`"${label}" ${kind}: ${old} → ${value}`);
    return `<!-- measured "${written}" ${kind} -->${value}<!-- /measured -->`;
  });
  return { text: out, changed, problems };
}

/**
 * The measurements a README marks, with their kinds.
 *
 * @example Usage
 * ```ts
 * import { markedNumbers } from "./readme_numbers.ts";
 * console.log(markedNumbers('<!-- measured "a" max -->1<!-- /measured -->')); // [{ label: "a", kind: "max" }]
 * ```
 * @param text A README.
 * @returns The markers, in order.
 */
export function markedNumbers(text: string): { label: string; kind: string }[] {
  return [...text.matchAll(MARKER)].map((m) => ({ label: unescapeLabel(m[1]), kind: m[2] }));
}

/** In a table cell a label's `|` is written `\|` (a bare one would end the cell). */
function unescapeLabel(label: string): string {
  return label.replaceAll("\\|", "|");
}

/**
 * Formats files the way `deno fmt --check` wants them (it pads tables and spaces comments its own way), so a
 * README rewritten by a task stays clean.
 *
 * @example Usage
 * ```ts ignore
 * import { formatFiles } from "./readme_numbers.ts";
 * await formatFiles(["katas/06-batchnorm-regression/README.md"], ROOT);
 * ```
 * @param paths The files.
 * @param root The repository root (its `deno.json` applies).
 */
export async function formatFiles(paths: string[], root: string): Promise<void> {
  if (paths.length === 0) return;
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", ...paths], cwd: root }).output();
}
