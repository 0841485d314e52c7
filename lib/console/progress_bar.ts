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
import * as tf from "@tensorflow/tfjs";
import cliProgress from "cli-progress";
import process from "node:process";

/** Reports how far a piece of long work has got. */
export interface Progress {
  /** Starts a task of `total` units (steps, runs), shown as `label`. */
  start(label: string, total: number): void;
  /** `done` units are finished; `values` (e.g. the loss) are shown beside the count. */
  update(done: number, values?: Record<string, number>): void;
  /** The task is over (also when it ended early). */
  stop(): void;
}

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

/** What {@linkcode FitProgress} does with a `fit` run. */
export interface FitObserver {
  /** Shows the run's batches and loss. */
  progress?: Progress;
  /** The label of the run's bar (default "training"). */
  label?: string;
  /** Called after every batch with the batch's loss and the run's step count so far (1-based). */
  onBatchLoss?: (loss: number, step: number) => void;
}

async function scalar(value: number | tf.Tensor | undefined): Promise<number> {
  if (value === undefined) return NaN;
  return typeof value === "number" ? value : (await value.data())[0];
}

/**
 * A tfjs `fit` callback that reports every batch: one progress unit per batch over all
 * epochs, with the batch's loss.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
 * import { FitProgress } from "@lib/console/progress_bar.ts";
 * await initBackend();
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const losses: number[] = [];
 * await model.fit(tf.ones([4, 1]), tf.ones([4, 1]), {
 *   epochs: 2, batchSize: 2, verbose: 0,
 *   callbacks: [new FitProgress({ onBatchLoss: (loss) => losses.push(loss) })],
 * });
 * console.log(losses.length); // 4
 * ```
 */
export class FitProgress extends tf.Callback {
  #observer: FitObserver;
  #step = 0;

  /** @param observer Where batches and losses go. */
  constructor(observer: FitObserver) {
    super();
    this.#observer = observer;
  }

  /** Starts the bar with epochs × batches per epoch units. */
  override onTrainBegin(): Promise<void> {
    const { epochs, samples, steps, batchSize } = this.params as Record<string, number | undefined>;
    const perEpoch = steps ?? (samples !== undefined && batchSize ? Math.ceil(samples / batchSize) : 0);
    this.#step = 0;
    this.#observer.progress?.start(this.#observer.label ?? "training", (epochs ?? 1) * perEpoch);
    return Promise.resolve();
  }

  /** Reports the batch and its loss. */
  override async onBatchEnd(_batch: number, logs?: Record<string, number | tf.Tensor>): Promise<void> {
    const loss = await scalar(logs?.loss);
    this.#step++;
    this.#observer.onBatchLoss?.(loss, this.#step);
    this.#observer.progress?.update(this.#step, { loss });
  }

  /** Stops the bar. */
  override onTrainEnd(): Promise<void> {
    this.#observer.progress?.stop();
    return Promise.resolve();
  }
}

let current: FitObserver | undefined;
let registered = false;

/** Forwards to the observer of the innermost running {@linkcode observeTraining}, if any. */
class ObservedFit extends tf.Callback {
  #inner = current && new FitProgress(current);
  override setParams(params: Record<string, number>): void {
    super.setParams(params);
    this.#inner?.setParams(params);
  }
  override onTrainBegin(): Promise<void> {
    return this.#inner?.onTrainBegin() ?? Promise.resolve();
  }
  override onBatchEnd(batch: number, logs?: Record<string, number | tf.Tensor>): Promise<void> {
    return this.#inner?.onBatchEnd(batch, logs) ?? Promise.resolve();
  }
  override onTrainEnd(): Promise<void> {
    return this.#inner?.onTrainEnd() ?? Promise.resolve();
  }
}

/**
 * Runs `work` and reports every tfjs `fit` / `fitDataset` started inside it to `observer`,
 * even when the code calling `fit` passes no callbacks (tfjs's callback-constructor
 * registry creates one for every fit). Outside `observeTraining` nothing is reported.
 * Not for concurrent use: the observer in force is the innermost running call's.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
 * import { observeTraining } from "@lib/console/progress_bar.ts";
 * await initBackend();
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const losses: number[] = [];
 * await observeTraining({ onBatchLoss: (loss) => losses.push(loss) }, () =>
 *   model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { epochs: 1, batchSize: 2, verbose: 0 }));
 * console.log(losses.length); // 2
 * ```
 * @param observer Where batches and losses go.
 * @param work Code that trains.
 * @returns What `work` returns.
 */
export async function observeTraining<T>(observer: FitObserver, work: () => Promise<T>): Promise<T> {
  if (!registered) {
    tf.registerCallbackConstructor(0, ObservedFit);
    registered = true;
  }
  const previous = current;
  current = observer;
  try {
    return await work();
  } finally {
    current = previous;
  }
}
