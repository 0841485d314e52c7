import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import {
  createProgress,
  FitProgress,
  observeTraining,
  type Progress,
  silentProgress,
} from "./progress_bar.ts";
import { seedEverything } from "../core/random.ts";

await initBackend();

/** A Progress that records every call. */
function recorder() {
  const calls: string[] = [];
  const progress: Progress = {
    start: (label, total) => calls.push(`start ${label} ${total}`),
    update: (done, values) => calls.push(`update ${done} ${Number.isFinite(values?.loss)}`),
    stop: () => calls.push("stop"),
  };
  return { calls, progress };
}

/** A one-weight regression model and 6 examples: 3 batches of 2 per epoch. */
function tinyFit(callbacks?: tf.Callback[]) {
  seedEverything(1);
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [6, 1]);
  return model.fit(x, x.mul(2), { epochs: 2, batchSize: 2, verbose: 0, callbacks }).finally(() => {
    x.dispose();
    model.dispose();
  });
}

describe("progress", () => {
  it("lines mode writes one line at the end when updates come faster than the interval", () => {
    const lines: string[] = [];
    const progress = createProgress("lines", { write: (l) => lines.push(l), intervalMs: 60_000 });
    progress.start("sweep", 4);
    for (let i = 1; i <= 4; i++) progress.update(i, { loss: 2 / i });
    progress.stop();
    assertEquals(lines, ["sweep: 4/4 (100%) loss 0.5000"]);
  });

  it("lines mode writes a line per update when the interval is zero, never the same line twice", () => {
    const lines: string[] = [];
    const progress = createProgress("lines", { write: (l) => lines.push(l), intervalMs: 0 });
    progress.start("runs", 2);
    progress.update(1);
    progress.update(2);
    progress.stop();
    progress.stop();
    progress.start("again", 1);
    progress.stop();
    assertEquals(lines, ["runs: 1/2 (50%)", "runs: 2/2 (100%)", "again: 0/1 (0%)"]);
  });

  it("none mode is the silent reporter", () => {
    assertEquals(createProgress("none"), silentProgress);
  });

  it("FitProgress reports every batch of every epoch with its loss", async () => {
    const { calls, progress } = recorder();
    const losses: number[] = [];
    await tinyFit([new FitProgress({ progress, label: "fit", onBatchLoss: (loss) => losses.push(loss) })]);
    assertEquals(calls, [
      "start fit 6",
      ...[1, 2, 3, 4, 5, 6].map((i) => `update ${i} true`),
      "stop",
    ]);
    assertEquals(losses.length, 6);
    assert(losses.every(Number.isFinite), `losses should be numbers, got ${losses}`);
  });

  it("observeTraining sees a fit that passes no callbacks, and nothing after it returns", async () => {
    const { calls, progress } = recorder();
    const steps: number[] = [];
    await observeTraining({ progress, onBatchLoss: (_loss, step) => steps.push(step) }, () => tinyFit());
    assertEquals(steps, [1, 2, 3, 4, 5, 6]);
    assertEquals(calls[0], "start training 6");
    await tinyFit();
    assertEquals(steps.length, 6, "a fit outside observeTraining must not be reported");
  });

  it("observeTraining restores the outer observer after a nested one", async () => {
    const outer: number[] = [];
    const inner: number[] = [];
    await observeTraining({ onBatchLoss: (_l, s) => outer.push(s) }, async () => {
      await observeTraining({ onBatchLoss: (_l, s) => inner.push(s) }, () => tinyFit());
      await tinyFit();
    });
    assertEquals([inner.length, outer.length], [6, 6]);
  });
});
