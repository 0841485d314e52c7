/**
 * Watching training from outside: {@linkcode observeTraining} reports every batch (step and loss) of every
 * tfjs `fit` run inside it — also one a kata's solution starts with no callbacks — to an observer, a
 * {@linkcode Progress} (a terminal bar in `deno task demo`, a progress bar and live chart in the lab's
 * browser page). Only tfjs, no Deno API: it runs in a browser too.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initBackend } from "@lib/backend/init.ts";
 * import { observeTraining } from "@lib/models/observe_training.ts";
 * await initBackend();
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const steps: number[] = [];
 * await observeTraining({ onBatchLoss: (_loss, step) => steps.push(step) }, () =>
 *   model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { epochs: 1, batchSize: 2, verbose: 0 }));
 * console.log(steps); // [1, 2]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Reports how far a piece of long work has got. */
export interface Progress {
  /** Starts a task of `total` units (steps, runs), shown as `label`. */
  start(label: string, total: number): void;
  /** `done` units are finished; `values` (e.g. the loss) are shown beside the count. */
  update(done: number, values?: Record<string, number>): void;
  /** The task is over (also when it ended early). */
  stop(): void;
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
 * import { FitProgress } from "@lib/models/observe_training.ts";
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
 * import { observeTraining } from "@lib/models/observe_training.ts";
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
