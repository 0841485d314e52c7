/**
 * What a learner reads after `deno task kata NN`: the steps in order with their state, the compiler's
 * errors once (when a file does not compile), the first failing test's message whole (with the stack
 * frames in the kata's files and what the test printed), every other failure on one line, the lesson
 * report, and a summary line.
 *
 * @example Usage
 * ```ts ignore
 * import { renderRun } from "./report.ts";
 * import { makeStyle } from "./style.ts";
 * console.log(renderRun(result, { calibration, seed: 42, style: makeStyle(false) }));
 * ```
 * @module
 */
import type { Calibration } from "../catalog/calibration.ts";
import { lessonReport } from "./lesson.ts";
import type { CaseOutcome, KataResult } from "./run_kata.ts";
import type { Style } from "./style.ts";

/** How to render. */
export interface RenderOptions {
  /** The kata's calibration, for the lesson report. */
  calibration?: Calibration;
  /** The seed the run used. */
  seed: number;
  /** Colours. */
  style: Style;
}

/** A step's counts in a run. */
export interface StepTally {
  /** The step number. */
  step: number;
  /** Its title. */
  title: string;
  /** Tests that passed. */
  passed: number;
  /** Tests in the run. */
  total: number;
}

/**
 * Each step's passed/total in a run (steps the run did not include are left out).
 *
 * @example Usage
 * ```ts ignore
 * import { stepTallies } from "./report.ts";
 * for (const t of stepTallies(result)) console.log(t.step, `${t.passed}/${t.total}`);
 * ```
 * @param result The run.
 * @returns One tally per step, in order.
 */
export function stepTallies(result: KataResult): StepTally[] {
  return result.kata.meta.steps.map((s, i) => {
    const cases = result.cases.filter((c) => c.step === i + 1);
    return {
      step: i + 1,
      title: s.title,
      passed: cases.filter((c) => c.status === "pass").length,
      total: cases.length,
    };
  }).filter((t) => t.total > 0);
}

/**
 * A one-line summary, e.g. "7/12 tests pass".
 *
 * @example Usage
 * ```ts
 * import { countLine } from "./report.ts";
 * console.log(countLine(3, 4)); // "3/4 tests pass"
 * ```
 * @param passed Tests passed.
 * @param total Tests run.
 * @returns The line.
 */
export function countLine(passed: number, total: number): string {
  return total === 0 ? "no test ran" : `${passed}/${total} tests pass`;
}

const indent = (text: string, by = "    ") => text.split("\n").map((l) => (l ? by + l : l)).join("\n");

/** `kata 06, step 2: measure a regression > R² is 1 …` → `step 2 › R² is 1 …`. */
function shortName(c: CaseOutcome): string {
  const parts = c.name.split(" > ");
  return c.step === undefined ? c.name : `step ${c.step} › ${parts.slice(1).join(" › ")}`;
}

/**
 * Renders a run (see the module doc).
 *
 * @example Usage
 * ```ts ignore
 * import { renderRun } from "./report.ts";
 * import { makeStyle } from "./style.ts";
 * console.log(renderRun(result, { seed: 42, style: makeStyle(false) }));
 * ```
 * @param result The run.
 * @param options Calibration, seed and colours.
 * @returns The report.
 */
export function renderRun(result: KataResult, options: RenderOptions): string {
  const { style } = options;
  const { kata } = result;
  const out: string[] = [];
  const heading = `Kata ${kata.id} — ${kata.meta.title}${
    result.step === undefined ? "" : ` (step ${result.step} only)`
  }`;
  out.push(style.bold(heading), "");
  const tallies = stepTallies(result);
  const width = Math.max(...tallies.map((t) => t.title.length));
  for (const t of tallies) {
    const done = t.passed === t.total;
    const mark = done ? style.green("✓") : style.red("✗");
    const count = `${t.passed}/${t.total}`;
    out.push(`  ${mark} step ${t.step}  ${t.title.padEnd(width)}  ${done ? style.green(count) : count}`);
  }
  // In step order (the census lists tests by file), so the first failure is the lowest step's.
  const failures = result.cases.filter((c) => c.status === "fail")
    .map((c, i) => ({ c, i })).sort((a, b) => (a.c.step ?? Infinity) - (b.c.step ?? Infinity) || a.i - b.i)
    .map(({ c }) => c);
  if (result.compileErrors !== undefined) {
    const files = [
      ...new Set(failures.filter((c) => c.cause === "compile").map((c) => c.file.split("/").pop())),
    ];
    out.push(
      "",
      style.red(style.bold(`Does not compile`)) + style.dim(` (so ${files.join(", ")} did not run):`),
    );
    out.push(indent(result.compileErrors, "  "));
  }
  for (const load of result.loadErrors) {
    out.push(
      "",
      style.red(style.bold(`${load.file.split("/").pop()} did not load:`)),
      indent(load.error, "  "),
    );
  }
  const first = failures.find((c) => c.cause === "test" || c.cause === "crash");
  if (first) {
    out.push("", style.red(style.bold("First failure: ")) + style.bold(first.name));
    out.push(indent(first.message ?? "failed", "  "));
    if (first.output) out.push(style.dim("  It printed:"), indent(first.output, "    "));
  }
  const others = failures.filter((c) => c !== first);
  if (others.length) {
    out.push("", style.bold(first ? "Other failures:" : "Failures:"));
    for (const c of others) {
      const reason = (c.message ?? "failed").split("\n")[0];
      out.push(`  ${style.red("✗")} ${shortName(c)}: ${style.dim(reason)}`);
    }
  }
  for (const note of result.notes) out.push("", style.yellow(`note: ${note}`));
  out.push("", lessonReport(result.measures, options.calibration, options.seed, style));
  const passed = result.cases.length - failures.length;
  const summary = `${kata.slug}: ${countLine(passed, result.cases.length)}`;
  out.push("", failures.length === 0 && result.cases.length > 0 ? style.green(summary) : style.red(summary));
  return out.join("\n");
}
