/**
 * The learner's loop, timed as a learner meets it: the whole `deno task solutions NN` and each
 * `deno task solutions NN --step N` (the same runner, census, type-check and report as
 * `deno task kata NN --step N`, on the reference code so that every step runs to its end), one warm-up
 * then `runs` timed re-runs, each a fresh process through `tools/launch.ts`. `deno task bench --only loop`
 * prints the table; nothing asserts a time.
 *
 * @module
 */
import { join } from "node:path";
import type { Kata } from "../catalog/katas.ts";
import { ROOT } from "../catalog/katas.ts";
import { isFile } from "@lib/core/fs.ts";

/** The loop's budget for a step whose tests train nothing, in seconds (issue 16). */
export const STEP_BUDGET_S = 2;

/** One timed command of the loop. */
export interface LoopTiming {
  /** The kata's folder name. */
  slug: string;
  /** The step, or `undefined` for the whole kata. */
  step?: number;
  /** The step's title from the manifest. */
  title: string;
  /** Seconds of each timed re-run. */
  seconds: number[];
  /** CPU seconds (user + system, the command and its children) of each re-run, when GNU time is installed. */
  cpuSeconds: number[];
  /** Whether every run exited 0. */
  passed: boolean;
}

/** GNU time, when installed: it also reports the CPU seconds of the command and its children. */
const GNU_TIME = "/usr/bin/time";

async function timedRun(
  args: string[],
  haveTime: boolean,
): Promise<{ seconds: number; cpuSeconds?: number; ok: boolean }> {
  const command = [Deno.execPath(), "run", "-q", "-A", join(ROOT, "tools", "launch.ts"), ...args];
  const report = haveTime ? await Deno.makeTempFile({ prefix: "ml-katas-loop-time-" }) : undefined;
  const [cmd, ...rest] = report ? [GNU_TIME, "-f", "%U %S", "-o", report, ...command] : command;
  const start = performance.now();
  const run = await new Deno.Command(cmd, {
    args: rest,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  if (!report) return { seconds, ok: run.code === 0 };
  const [user, system] = (await Deno.readTextFile(report)).trim().split(/\s+/).map(Number);
  await Deno.remove(report);
  return { seconds, cpuSeconds: user + system, ok: run.code === 0 };
}

/**
 * Times the whole kata and each of its steps against the reference solution.
 *
 * @example Usage
 * ```ts ignore
 * import { selectKatas } from "../catalog/katas.ts";
 * import { timeLearnerLoop } from "./learner_loop.ts";
 * const [kata] = await selectKatas(["06"]);
 * console.log(await timeLearnerLoop(kata, 3));
 * ```
 * @param kata The kata.
 * @param runs Timed re-runs per command (after one warm-up).
 * @returns One timing for the whole kata, then one per step.
 */
export async function timeLearnerLoop(kata: Kata, runs: number): Promise<LoopTiming[]> {
  const commands: { step?: number; title: string }[] = [
    { title: "the whole kata" },
    ...kata.meta.steps.map((s, i) => ({ step: i + 1, title: s.title })),
  ];
  const haveTime = await isFile(GNU_TIME);
  const timings: LoopTiming[] = [];
  for (const command of commands) {
    const args = ["solutions", kata.slug, ...(command.step ? ["--step", String(command.step)] : [])];
    console.error(`$ deno task ${args.join(" ")}: warm-up, ${runs} re-run(s)`);
    let passed = (await timedRun(args, haveTime)).ok;
    const seconds: number[] = [];
    const cpuSeconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await timedRun(args, haveTime);
      seconds.push(run.seconds);
      if (run.cpuSeconds !== undefined) cpuSeconds.push(run.cpuSeconds);
      passed &&= run.ok;
    }
    timings.push({ slug: kata.slug, ...command, seconds, cpuSeconds, passed });
  }
  return timings;
}
