/**
 * `deno task demo [NAME…] [--out DIR] [--readme]`: runs each kata's demo
 * (`demo/NN-slug/demo.ts`, the reference solution's experiments at demo size), prints its
 * key numbers as a table and writes its figures to `DIR/NN-slug/*.svg` (default `out/`).
 * `--readme` also refreshes the committed copies in `katas/NN-slug/figures/` that the
 * kata's README embeds. Without a name, every kata that has a demo.
 *
 * @example Usage
 * ```ts ignore
 * // deno task demo 01 --out /tmp/figures
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { initBackend } from "@lib/backend/init.ts";
import { createProgress } from "@lib/console/progress_bar.ts";
import { kataSeed } from "@lib/core/random.ts";
import type { Demo, Figure } from "../../demo/demo.ts";
import { type Kata, ROOT, selectKatas } from "../catalog/katas.ts";
import { isFile } from "@lib/core/fs.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";

/** The parsed command line. */
export interface DemoArgs {
  /** Kata names; empty for every kata. */
  names: string[];
  /** Absolute folder the figures go to (one sub-folder per kata). */
  out: string;
  /** Also copy the figures next to each kata's README. */
  readme: boolean;
}

/**
 * Parses `[NAME…] [--out DIR] [--readme]`; `DIR` is relative to the current directory.
 *
 * @example Usage
 * ```ts
 * import { parseDemoArgs } from "./run_demos.ts";
 * console.log(parseDemoArgs(["01", "--readme"]).readme); // true
 * ```
 * @param args The task's arguments.
 * @returns The parsed arguments.
 */
export function parseDemoArgs(args: string[]): DemoArgs {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: "string" }, readme: { type: "boolean" } },
  });
  return {
    names: positionals,
    out: values.out === undefined ? join(ROOT, "out") : resolve(values.out),
    readme: values.readme ?? false,
  };
}

/**
 * Lays out rows of equal keys as an aligned plain-text table.
 *
 * @example Usage
 * ```ts
 * import { formatTable } from "./run_demos.ts";
 * console.log(formatTable([{ run: "raw", accuracy: 0.2 }]));
 * // run | accuracy
 * // --- | --------
 * // raw | 0.2
 * ```
 * @param rows The rows.
 * @returns The table, one line per row after a header and a rule.
 */
export function formatTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const keys = Object.keys(rows[0]);
  return markdownTable(keys, rows.map((row) => keys.map((k) => row[k] ?? "")), { aligned: true });
}

/**
 * Writes each figure to `dir/<name>.svg`, creating `dir`.
 *
 * @example Usage
 * ```ts ignore
 * import { writeFigures } from "./run_demos.ts";
 * await writeFigures([{ name: "loss", svg: "<svg/>" }], "out/01-input-scaling");
 * ```
 * @param figures The figures.
 * @param dir The folder.
 * @returns The paths written.
 */
export async function writeFigures(figures: Figure[], dir: string): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const paths = figures.map((f) => join(dir, `${f.name}.svg`));
  await Promise.all(figures.map((f, i) => Deno.writeTextFile(paths[i], f.svg)));
  return paths;
}

/** The kata's demo module, or `undefined` when it has none yet. */
async function loadDemo(kata: Kata): Promise<Demo | undefined> {
  const path = join(ROOT, "demo", kata.slug, "demo.ts");
  if (!await isFile(path)) return undefined;
  return (await import(`file://${path}`)).demo as Demo;
}

/**
 * `deno task demo`'s body: runs each chosen kata's demo, prints its table and writes its figures.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./run_demos.ts";
 * Deno.exit(await main(["06", "--out", "/tmp/figures"]));
 * ```
 * @param argv The command line.
 * @returns The exit code.
 */
export async function main(argv: string[] = Deno.args): Promise<number> {
  const args = parseDemoArgs(argv);
  const katas = await selectKatas(args.names);
  const seed = kataSeed();
  console.log(`backend ${await initBackend()}, seed ${seed}`);
  let missing = 0;
  for (const kata of katas) {
    const demo = await loadDemo(kata);
    if (!demo) {
      console.log(`\n== ${kata.slug}: no demo yet (demo/${kata.slug}/demo.ts)`);
      if (args.names.length > 0) missing++;
      continue;
    }
    console.log(`\n== ${kata.slug}: ${kata.meta.title}`);
    const started = performance.now();
    const result = await demo({ seed, progress: createProgress() });
    const seconds = (performance.now() - started) / 1000;
    console.log(`\n${formatTable(result.table)}\n`);
    for (const path of await writeFigures(result.figures, join(args.out, kata.slug))) {
      console.log(`wrote ${path}`);
    }
    if (args.readme) {
      for (const path of await writeFigures(result.figures, join(kata.dir, "figures"))) {
        console.log(`wrote ${path}`);
      }
    }
    console.log(`${kata.slug}: ${seconds.toFixed(1)} s`);
  }
  return missing === 0 ? 0 : 1;
}
