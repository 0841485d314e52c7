/**
 * Compares a kata's run against the stub with its run against the reference solution:
 * the solution's test cases define the kata; each must pass there and not pass on the stub.
 *
 * @example Usage
 * ```ts
 * import { verifyRuns } from "./verify_runs.ts";
 * const stub = { code: 1, output: "", cases: [{ name: "t", status: "fail" as const }] };
 * const solution = { code: 0, output: "", cases: [{ name: "t", status: "pass" as const }] };
 * console.log(verifyRuns(stub, solution)); // { total: 1, red: 1, green: 1, problems: [], broken: [] }
 * ```
 * @module
 */
import { type Kata, ROOT } from "../catalog/katas.ts";
import type { KataRun } from "./run_tests.ts";
import { gradeKata, runCensus, runStub } from "../grade/grade_kata.ts";
import { roundPoints } from "../catalog/points.ts";
import { kataCensus } from "../catalog/census.ts";
import { checkKata } from "../catalog/manifest_check.ts";
import { kataTableProblems } from "../catalog/readme_table.ts";
import { join } from "node:path";
import { markdownTable } from "@lib/console/markdown_table.ts";

/** The outcome of {@linkcode verifyRuns}. */
export interface VerifyReport {
  /** Test cases (as reported against the solution). */
  total: number;
  /** Cases that did not pass against the stub. */
  red: number;
  /** Cases that passed against the solution. */
  green: number;
  /** One sentence per broken promise. */
  problems: string[];
  /** Names of the test cases whose promise is broken. */
  broken: string[];
}

/**
 * Checks the red-on-stub, green-on-solution promise for one kata.
 *
 * @example Usage
 * ```ts
 * import { verifyRuns } from "./verify_runs.ts";
 * const run = { code: 0, output: "", cases: [{ name: "t", status: "pass" as const }] };
 * console.log(verifyRuns(run, run).problems); // ["passes on the stub: t"]
 * ```
 * @param stub The run against the stub.
 * @param solution The run against the reference solution.
 * @returns Counts and problems.
 */
export function verifyRuns(stub: KataRun, solution: KataRun): VerifyReport {
  const problems: string[] = [];
  const stubStatus = new Map(stub.cases.map((c) => [c.name, c.status]));
  const broken = new Set<string>();
  let red = 0;
  let green = 0;
  for (const c of solution.cases) {
    if (c.status === "pass") green++;
    else {
      problems.push(
        `does not pass on the solution: ${c.name}${c.message ? ` — ${c.message.split("\n")[0]}` : ""}`,
      );
      broken.add(c.name);
    }
    if (stubStatus.get(c.name) === "pass") {
      problems.push(`passes on the stub: ${c.name}`);
      broken.add(c.name);
    } else red++;
  }
  if (solution.code !== 0 && problems.length === 0) {
    problems.push(`deno test exited ${solution.code} on the solution`);
  }
  return { total: solution.cases.length, red, green, problems, broken: [...broken] };
}

/** {@linkcode verifyKatas}'s outcome over several katas. */
export interface VerifyTable {
  /** A markdown table: kata, tests, red on stub, green on solution, points on solution. */
  table: string;
  /** Every broken promise, prefixed with its kata. */
  problems: string[];
  /** Test cases whose promise held, and those whose did not. */
  held: number;
  /** Test cases whose promise was broken (or katas where nothing ran). */
  broken: number;
}

/**
 * Cross-checks every kata's manifest against its README, stub, tests, files and calibration
 * (`catalog/manifest_check.ts`), runs it against its stub and its solution (the two runs in
 * parallel) and checks the promise for each test case. Both runs go through `deno task grade`'s sandbox (the stub
 * run is the grader's list of the kata's tests), so the promise includes: the reference
 * solution, graded like a submission, scores every point.
 *
 * @example Usage
 * ```ts ignore
 * import { verifyKatas } from "./verify_runs.ts";
 * import { listKatas } from "../catalog/katas.ts";
 * const { table, problems } = await verifyKatas(await listKatas());
 * ```
 * @param katas The katas to verify.
 * @param options `wholeRepository`: the katas are all of them, so the README's kata table is checked too.
 * @returns The table and the problems.
 */
export async function verifyKatas(
  katas: Kata[],
  options: { wholeRepository?: boolean } = {},
): Promise<VerifyTable> {
  const rows: string[][] = [];
  const problems: string[] = options.wholeRepository
    ? kataTableProblems(await Deno.readTextFile(join(ROOT, "README.md")), katas)
    : [];
  let held = 0;
  let broken = problems.length;
  for (const kata of katas) {
    const ctx = { root: ROOT, submission: `${ROOT}/solutions` };
    const stubRun = runStub(kata, ctx);
    const census = runCensus(kata, ctx);
    const grade = await gradeKata(kata, { ...ctx, census });
    const solution: KataRun = {
      cases: grade.tests.map((t) => ({
        name: t.name,
        status: t.status === "pass" ? "pass" : "fail",
        ...(t.message ? { message: t.message } : {}),
      })),
      code: 0,
      output: grade.message ?? "",
    };
    const report = verifyRuns(await stubRun, solution);
    const consistency = await checkKata(kata, ROOT, await kataCensus(kata));
    const stubNames = new Set((await stubRun).cases.map((c) => c.name));
    const unlisted = (await census).filter((c) => !stubNames.has(c.name)).map((c) => c.name);
    if (unlisted.length) {
      consistency.push(`the stub run does not report tests the census lists: ${unlisted.join(", ")}`);
    }
    problems.push(...consistency.map((p) => `${kata.slug}: ${p}`));
    broken += consistency.length;
    rows.push([
      kata.slug,
      String(report.total),
      `${report.red}/${report.total}`,
      `${report.green}/${report.total}`,
      `${roundPoints(grade.points)}/${grade.maxPoints}`,
    ]);
    problems.push(...report.problems.map((p) => `${kata.slug}: ${p}`));
    if (grade.message) problems.push(`${kata.slug}: graded in the sandbox: ${grade.message}`);
    broken += report.broken.length;
    held += report.total - report.broken.length;
    if (report.total === 0) {
      broken++;
      if (!grade.message) problems.push(`${kata.slug}: no test ran against the solution`);
    }
  }
  return {
    table: markdownTable(["kata", "tests", "red on stub", "green on solution", "points on solution"], rows),
    problems,
    held,
    broken,
  };
}
