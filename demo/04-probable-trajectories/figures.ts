/**
 * Kata 04's figures, drawn from numbers: for a few test agents, the observed path, the
 * future that happened, the regressor's single prediction and K sampled futures; and the
 * occupancy grid of many sampled futures, one panel per future step.
 *
 * @module
 */
import { renderSvg, type TopLevelSpec } from "@lib/figures/plot.ts";
import type { Figure } from "../demo.ts";

/** A path as its points, `[x, y]` each. */
export type Path = [number, number][];

/** One test agent and what the models say about it. */
export interface AgentPaths {
  /** Panel title, e.g. "agent 3 (turned left)". */
  title: string;
  /** The observed points. */
  past: Path;
  /** What actually happened next. */
  truth: Path;
  /** The noise-free futures of the three branches. */
  branches: Path[];
  /** The mean-squared-error regressor's one prediction. */
  regressor: Path;
  /** The CVAE's sampled futures. */
  samples: Path[];
}

/** The occupancy grid of one agent's sampled futures. */
export interface Occupancy {
  /** Cells per side. */
  size: number;
  /** Lower edge of the grid on both axes. */
  min: number;
  /** Upper edge of the grid on both axes. */
  max: number;
  /** Per future step, `size × size` shares of the samples, row `y` major (row 0 at `min`). */
  steps: number[][];
  /** Which agent and how many samples, for the subtitle. */
  title: string;
}

/** Everything kata 04's figures show. */
export interface TrajectoryNumbers {
  /** A few test agents. */
  agents: AgentPaths[];
  /** Occupancy of many samples for one agent. */
  occupancy: Occupancy;
  /** Data, models and seed, for the subtitles. */
  setup: string;
  /** The scene's extent on both axes. */
  bounds: [number, number];
}

/** The kinds of path, in legend order, with their colours and dash patterns. */
const KINDS = [
  { kind: "sampled futures (CVAE)", color: "#5b8fd6", dash: [1, 0] },
  { kind: "possible branches (noise-free)", color: "#a0a0a0", dash: [4, 3] },
  { kind: "observed past", color: "#222222", dash: [1, 0] },
  { kind: "what happened", color: "#1a7f37", dash: [1, 0] },
  { kind: "regressor (mean squared error)", color: "#cf222e", dash: [6, 3] },
];

/**
 * Paths of a few agents, a panel each.
 *
 * @param numbers The agents and the scene.
 * @returns The Vega-Lite spec.
 */
export function pathsFigure(numbers: Omit<TrajectoryNumbers, "occupancy">): TopLevelSpec {
  const rows = numbers.agents.flatMap((agent) => {
    const start = agent.past.at(-1)!;
    const paths: [string, Path][] = [
      ...agent.samples.map((p) => [KINDS[0].kind, [start, ...p]] as [string, Path]),
      ...agent.branches.map((p) => [KINDS[1].kind, [start, ...p]] as [string, Path]),
      [KINDS[2].kind, agent.past],
      [KINDS[3].kind, [start, ...agent.truth]],
      [KINDS[4].kind, [start, ...agent.regressor]],
    ];
    return paths.flatMap(([kind, path], id) =>
      path.map(([x, y], step) => ({ agent: agent.title, kind, id, step, x, y }))
    );
  });
  const axis = (field: "x" | "y") => ({
    field,
    type: "quantitative" as const,
    title: `${field} (scene units)`,
    scale: { domain: numbers.bounds, nice: false },
  });
  const byKind = (key: "color" | "dash") => ({
    field: "kind",
    type: "nominal" as const,
    title: "path",
    scale: { domain: KINDS.map((k) => k.kind), range: KINDS.map((k) => k[key]) },
  });
  // Thin sampled futures first, the four single paths wide on top; one legend for both layers.
  const layer = (kinds: string[], strokeWidth: number) => ({
    transform: [{ filter: { field: "kind", oneOf: kinds } }],
    mark: { type: "line" as const, strokeWidth, opacity: 0.85 },
    encoding: {
      x: axis("x"),
      y: axis("y"),
      detail: { field: "id", type: "nominal" as const },
      order: { field: "step", type: "quantitative" as const },
      stroke: byKind("color"),
      strokeDash: byKind("dash"),
    },
  });
  return {
    title: {
      text: "One past, three possible futures: the regressor averages them, the CVAE samples them",
      subtitle: numbers.setup,
    },
    data: { values: rows },
    facet: { field: "agent", type: "nominal", sort: numbers.agents.map((a) => a.title), title: null },
    columns: numbers.agents.length,
    spec: {
      width: 230,
      height: 230,
      layer: [layer([KINDS[0].kind], 1), layer(KINDS.slice(1).map((k) => k.kind), 2.5)],
    },
  };
}

/**
 * The occupancy grid, one heat-map panel per future step.
 *
 * @param occupancy The grid.
 * @returns The Vega-Lite spec.
 */
export function occupancyFigure(occupancy: Occupancy): TopLevelSpec {
  const { size, min, max, steps } = occupancy;
  const cell = (max - min) / size;
  // Show the rows and columns any sample reached, one empty cell around them.
  const used = (axis: (i: number) => number) => {
    const hits = steps.flatMap((grid) => grid.flatMap((share, i) => (share > 0 ? [axis(i)] : [])));
    const low = Math.max(0, Math.min(...hits) - 1);
    const high = Math.min(size, Math.max(...hits) + 2);
    return [min + low * cell, min + high * cell];
  };
  const extent = { x: used((i) => i % size), y: used((i) => Math.floor(i / size)) };
  const values = steps.flatMap((grid, t) =>
    grid.flatMap((share, i) =>
      share > 0
        ? [{
          step: `future step ${t + 1}`,
          x: min + (i % size) * cell,
          y: min + Math.floor(i / size) * cell,
          share,
        }]
        : []
    )
  );
  const position = (field: "x" | "y") => ({
    field,
    type: "quantitative" as const,
    title: `${field} (scene units)`,
    scale: { domain: extent[field], nice: false },
  });
  return {
    title: {
      text: "Where the sampled futures are, step by step (occupancy grid)",
      subtitle: [
        occupancy.title,
        `${size} × ${size} cells of ${cell} over the scene (the part any sample reached); empty cells white`,
      ],
    },
    data: { values },
    transform: [{ calculate: `datum.x + ${cell}`, as: "x2" }, { calculate: `datum.y + ${cell}`, as: "y2" }],
    facet: {
      field: "step",
      type: "nominal",
      sort: steps.map((_, t) => `future step ${t + 1}`),
      title: null,
    },
    columns: 3,
    spec: {
      width: 160,
      height: 160,
      mark: { type: "rect" },
      encoding: {
        x: position("x"),
        x2: { field: "x2" },
        y: position("y"),
        y2: { field: "y2" },
        color: {
          field: "share",
          type: "quantitative",
          title: "share of samples",
          scale: { type: "sqrt", scheme: "blues", domain: [0, Math.max(...steps.flat())] },
        },
      },
    },
  };
}

/**
 * Draws kata 04's figures.
 *
 * @param numbers What the demo measured.
 * @returns `futures` and `occupancy`.
 */
export async function drawFigures(numbers: TrajectoryNumbers): Promise<Figure[]> {
  return [
    { name: "futures", svg: await renderSvg(pathsFigure(numbers)) },
    { name: "occupancy", svg: await renderSvg(occupancyFigure(numbers.occupancy)) },
  ];
}
