/**
 * Kata 05's demo: the lab's experiment (`experiment.ts`) at its default settings — the reference solution's
 * 3×128 MLP learns sin(x) + y on x ∈ [0, 2π] and is compared along x (at y = 0) with the truth and with the
 * sin-feature least-squares model, from −2π to 6π; its readings are the table, its chart the figure.
 *
 * @module
 */
import { renderSvg } from "@lib/figures/plot.ts";
import { defaultSettings } from "../experiment.ts";
import type { Demo } from "../demo.ts";
import { experiment } from "./experiment.ts";

/** The demo. */
export const demo: Demo = async ({ seed, progress }) => {
  progress.start("MLP 3×128 and the sin prior", 1);
  const { readings, charts } = await experiment.run(defaultSettings(experiment), {
    seed,
    onProgress: ({ fraction }) => progress.update(fraction),
  });
  progress.stop();
  return {
    table: readings.map((r) => ({ measurement: r.label, value: r.value.toExponential(2) })),
    figures: await Promise.all(charts.map(async (c) => ({ name: c.name, svg: await renderSvg(c.spec) }))),
  };
};
