/**
 * Progress reporting for long work (training runs, sweeps): a progress bar drawn by
 * `cli-progress` when stdout is a terminal, a plain line every few seconds otherwise, and
 * nothing at all by default ({@linkcode silentProgress}), which is what tests use.
 *
 * tfjs training reports through {@linkcode FitProgress}, a `fit` callback: pass it in
 * `callbacks`, or wrap code that calls `fit` without callbacks (a kata's reference
 * solution) in {@linkcode observeTraining}, which sees every `fit` run inside it.
 *
 * @example Usage
 * ```ts
 * import { createProgress } from "@lib/console/progress_bar.ts";
 * const lines: string[] = [];
 * const progress = createProgress("lines", { write: (line) => lines.push(line) });
 * progress.start("sweep", 3);
 * for (let i = 1; i <= 3; i++) progress.update(i, { loss: 1 / i });
 * progress.stop();
 * console.log(lines.at(-1)); // "sweep: 3/3 (100%) loss 0.3333"
 * ```
 * @module
 */
import cliProgress from "cli-progress";
import process from "node:process";

export type { Progress } from "../models/observe_training.ts";
import type { Progress } from "../models/observe_training.ts";

/** How progress is shown: a bar, periodic lines, nothing, or bar/lines by whether stdout is a terminal. */
export type ProgressMode = "auto" | "bar" | "lines" | "none";

/** Options for {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Where `lines` mode writes each line (default: `console.log`). */
  write?: (line: string) => void;
  /** The least time between two lines in `lines` mode, in milliseconds (default 5000); a line equal to the last is not repeated. */
  intervalMs?: number;
}

/**
 * Reports nothing: the default wherever progress is optional.
 *
 * @example Usage
 * ```ts
 * import { silentProgress } from "@lib/console/progress_bar.ts";
 * silentProgress.start("training", 10); // prints nothing
 * ```
 */
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

function formatValues(values: Record<string, number>): string {
  return Object.entries(values).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(" ");
}

function lineProgress(write: (line: string) => void, intervalMs: number): Progress {
  let label = "";
  let total = 0;
  let done = 0;
  let values: Record<string, number> = {};
  let lastWrite = 0;
  let written = "";
  let active = false;
  const line = () => {
    const percent = total > 0 ? Math.round((100 * done) / total) : 100;
    const extra = formatValues(values);
    const text = `${label}: ${done}/${total} (${percent}%)${extra ? " " + extra : ""}`;
    if (text !== written) write(text);
    [written, lastWrite] = [text, Date.now()];
  };
  return {
    start(name, count) {
      [label, total, done, values, active, written] = [name, count, 0, {}, true, ""];
      lastWrite = Date.now();
    },
    update(count, latest) {
      done = count;
      if (latest) values = latest;
      if (Date.now() - lastWrite >= intervalMs) line();
    },
    stop() {
      if (active) line();
      active = false;
    },
  };
}

function barProgress(): Progress {
  const bar = new cliProgress.SingleBar({
    format: "{label} [{bar}] {value}/{total} {values}",
    stream: process.stdout,
    hideCursor: true,
    barsize: 30,
  }, cliProgress.Presets.shades_classic);
  return {
    start: (label, total) => bar.start(total, 0, { label, values: "" }),
    update: (done, values) => bar.update(done, values ? { values: formatValues(values) } : {}),
    stop: () => bar.stop(),
  };
}

/**
 * Creates a progress reporter. `auto` draws a bar when stdout is a terminal and writes
 * a line every few seconds (and one at the end) otherwise.
 *
 * @example Usage
 * ```ts
 * import { createProgress } from "@lib/console/progress_bar.ts";
 * const progress = createProgress("none");
 * progress.start("nothing shown", 1);
 * progress.stop();
 * ```
 * @param mode How to show progress.
 * @param options Where lines go and how often.
 * @returns The reporter.
 */
export function createProgress(mode: ProgressMode = "auto", options: ProgressOptions = {}): Progress {
  const resolved = mode === "auto" ? (Deno.stdout.isTerminal() ? "bar" : "lines") : mode;
  if (resolved === "none") return silentProgress;
  if (resolved === "bar") return barProgress();
  return lineProgress(options.write ?? console.log, options.intervalMs ?? 5000);
}

export { type FitObserver, FitProgress, observeTraining } from "../models/observe_training.ts";
