/**
 * Kata 04's demo: the lab's experiment (`experiment.ts`) with every model — the reference solution's
 * regressor (mean squared error), CVAE and step 6's branch sampler trained on junction trajectories, K = 20
 * samples per test agent; its readings are the table, its charts the figures (the futures of one test agent
 * per branch, and the occupancy grid of many CVAE samples for one of them).
 *
 * @module
 */
import { renderSvg } from "@lib/figures/plot.ts";
import { defaultSettings } from "../experiment.ts";
import type { Demo } from "../demo.ts";
import { experiment } from "./experiment.ts";

/** A reading as the table shows it: counts whole, errors and shares to three decimals. */
const format = (value: number) => Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(3);

/** The demo. */
export const demo: Demo = async ({ seed, progress }) => {
  progress.start("models (regressor, CVAE, branch sampler)", 3);
  const { readings, charts } = await experiment.run({ ...defaultSettings(experiment), models: "all" }, {
    seed,
    onProgress: ({ fraction }) => progress.update(Math.round(3 * fraction)), // a third per model
  });
  progress.stop();
  return {
    table: readings.map((r) => ({ measurement: r.label, value: format(r.value) })),
    figures: await Promise.all(charts.map(async (c) => ({ name: c.name, svg: await renderSvg(c.spec) }))),
  };
};
