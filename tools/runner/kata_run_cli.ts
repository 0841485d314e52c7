/**
 * The command line shared by `deno task kata` and `deno task watch`: `NAME [--step N] [--verbose]`, and the
 * one function that runs a kata on the learner's code, records it and prints the report.
 *
 * @example Usage
 * ```ts ignore
 * import { parseKataArgs, runAndReport } from "./kata_run_cli.ts";
 * const args = await parseKataArgs(["06", "--step", "1"], "kata");
 * const passed = await runAndReport(args);
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { kataSeed } from "@lib/core/random.ts";
import { type Kata, listKatas, resolveKata, UsageError } from "../catalog/katas.ts";
import { readCalibration } from "../catalog/calibration.ts";
import { runAndRecord } from "./record.ts";
import { renderRun } from "./report.ts";
import { colourWanted, makeStyle } from "./style.ts";

/** A parsed command line. */
export interface KataArgs {
  /** The kata. */
  kata: Kata;
  /** The step to run alone, if one was asked for. */
  step?: number;
  /** Print every test process's raw output too. */
  verbose: boolean;
}

/**
 * Parses `NAME [--step N] [--verbose]`.
 *
 * @example Usage
 * ```ts ignore
 * import { parseKataArgs } from "./kata_run_cli.ts";
 * const { kata, step } = await parseKataArgs(["1", "--step=2"], "kata");
 * ```
 * @param args The arguments.
 * @param task The task's name, for the usage line.
 * @returns The kata, step and verbosity.
 * @throws {UsageError} For a wrong command line; `UnknownKataError` for an unknown kata.
 */
export async function parseKataArgs(args: string[], task: string): Promise<KataArgs> {
  const katas = await listKatas();
  const usage = `usage: deno task ${task} NAME [--step N] [--verbose]\n${
    katas.map((k) => `  ${k.id}  ${k.slug}`).join("\n")
  }`;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { step: { type: "string" }, verbose: { type: "boolean", default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(usage);
  const kata = resolveKata(parsed.positionals[0], katas);
  const raw = parsed.values.step;
  const step = raw === undefined ? undefined : Number(raw);
  if (step !== undefined && (!Number.isInteger(step) || step < 1 || step > kata.meta.steps.length)) {
    throw new UsageError(
      `--step "${raw}": kata ${kata.id} has steps 1 to ${kata.meta.steps.length}\n${usage}`,
    );
  }
  return { kata, step, verbose: parsed.values.verbose };
}

/**
 * What `--verbose` adds to a run: each test file's own Deno output, printed as the file finishes.
 *
 * @example Usage
 * ```ts
 * import { verboseOutput } from "./kata_run_cli.ts";
 * console.log(verboseOutput(false)); // undefined
 * verboseOutput(true)?.("katas/06-batchnorm-regression/label_scaler_test.ts", "ok | 9 passed");
 * ```
 * @param verbose Whether `--verbose` was given.
 * @returns The `onFileDone` callback of `runKata` (`run_kata.ts`), or `undefined`.
 */
export function verboseOutput(verbose: boolean): ((file: string, text: string) => void) | undefined {
  return verbose ? (file, text) => console.log(`\n== ${file}\n${text}`) : undefined;
}

/**
 * Runs the kata on the learner's code, records it, prints the report; with `verbose`, each test file's raw
 * output first.
 *
 * @example Usage
 * ```ts ignore
 * import { runAndReport } from "./kata_run_cli.ts";
 * const allPassed = await runAndReport({ kata, verbose: false });
 * ```
 * @param args What to run.
 * @returns Whether every test ran and passed.
 */
export async function runAndReport(args: KataArgs): Promise<boolean> {
  const { kata, step, verbose } = args;
  const { result } = await runAndRecord(kata, {
    step,
    onFileDone: verboseOutput(verbose),
  });
  const style = makeStyle(colourWanted());
  console.log(renderRun(result, { calibration: await readCalibration(kata.dir), seed: kataSeed(), style }));
  const passed = result.cases.length > 0 && result.cases.every((c) => c.status === "pass");
  if (!passed) {
    console.log(style.dim(`Stuck? deno task hint ${kata.id}${step === undefined ? "" : ` --step ${step}`}`));
  }
  return passed;
}
