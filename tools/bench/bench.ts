/**
 * `deno task bench [--runs N] [--only SECTION,…] [--katas 01,03]`: the project's benchmarks,
 * written to `out/bench/results.json` and printed as markdown tables (the source of
 * BENCHMARKS.md).
 *
 * Wasm threads are compared at two settings: the default (`KATA_WASM_THREADS`, see
 * `lib/backend/wasm_threads.ts`) and the other one, 1 thread when the default is threaded, else all
 * cores (up to 8). Sections, in order:
 *
 * - `bench`: each `bench/*_bench.ts` under `deno bench --json` (backends, inference, kata 03's
 *   embedding benches), then the wasm benches of the first two at the other thread count.
 * - `torch`: `bench/torch_mlp_epoch.py`, the MLP epoch in PyTorch on CPU at both thread counts,
 *   when python3 and PyTorch are installed (skipped with the reason otherwise).
 * - `katas`: each kata's tests against `solutions/`, in a fresh `deno test` process each
 *   time: a warm-up, N timed re-runs (the learner's warm re-run) at both thread counts, then
 *   one run after an edit (a copy of the solution with a comment appended, so Deno
 *   type-checks again). Also the floor: the process of a test that runs one op.
 * - `loop`: the learner's loop ({@linkcode timeLearnerLoop}): `deno task solutions NN` and each
 *   `--step N`, through the task launcher, a warm-up then N re-runs.
 * - `solutions`: the whole `deno task solutions`, once.
 *
 * Nothing here asserts a timing; the budget table says met or missed with the numbers.
 *
 * @module
 */
import { join } from "node:path";
import { type Kata, listKatas, ROOT, selectKatas } from "../catalog/katas.ts";
import { runKataTests } from "../runner/run_tests.ts";
import { MAX_WASM_THREADS, requestedWasmThreads } from "@lib/backend/wasm_threads.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";
import { type LoopTiming, STEP_BUDGET_S, timeLearnerLoop } from "./learner_loop.ts";

/** The budgets of issue 11, in seconds. */
export const BUDGETS = { solutions: 60, kata: 15, warmKata: 5 } as const;

/** The sections `--only` accepts. */
export const SECTIONS = ["bench", "torch", "katas", "loop", "solutions"] as const;

/** One `deno bench` result, in milliseconds. */
export interface BenchRow {
  /** The file it came from, relative to the repository. */
  file: string;
  /** Its group (the comparison it belongs to). */
  group: string;
  /** Its name. */
  name: string;
  /** Timed iterations. */
  n: number;
  /** Fastest iteration. */
  minMs: number;
  /** Mean iteration. */
  avgMs: number;
  /** 75th percentile. */
  p75Ms: number;
}

/** The timings of one kata's suite against the reference solution, in seconds. */
export interface KataTiming {
  /** The kata's folder name. */
  slug: string;
  /** Whether every run passed. */
  passed: boolean;
  /** The tests that failed in any run. */
  failed: string[];
  /** Wall time of a run right after an edit to one of its modules (Deno type-checks again). */
  afterEditS: number;
  /** Wall times of the re-runs, default wasm threads. */
  warmS: number[];
  /** Wall times of the re-runs with the other thread count (`altThreads`; empty when none). */
  warmAltS: number[];
}

/** What `bench/torch_mlp_epoch.py` reports. */
export type TorchResult =
  | { available: true; torch: string; threads: number; images: number; batch_size: number; runs_ms: number[] }
  | { available: false; reason: string };

/**
 * Parses `deno bench --json` output into rows (milliseconds); output printed by the benches
 * before the JSON document is skipped, failed benches are left out.
 *
 * @example Usage
 * ```ts
 * import { parseBenchJson } from "./bench.ts";
 * const json = JSON.stringify({
 *   benches: [{
 *     origin: "file:///repo/bench/a_bench.ts", group: "g", name: "x",
 *     results: [{ ok: { n: 3, min: 1e6, avg: 2e6, p75: 2e6 } }],
 *   }],
 * }, null, 2);
 * console.log(parseBenchJson(`noise\n${json}`, "file:///repo/")[0].avgMs); // 2
 * ```
 * @param output `deno bench --json`'s standard output.
 * @param root The repository root as a `file:` URL, stripped from the file names.
 * @returns The rows, in the order they ran.
 */
export function parseBenchJson(output: string, root: string): BenchRow[] {
  const start = output.search(/^\{$/m);
  if (start < 0) return [];
  const doc = JSON.parse(output.slice(start)) as {
    benches: {
      origin: string;
      group: string | null;
      name: string;
      results: { ok?: { n: number; min: number; avg: number; p75: number } }[];
    }[];
  };
  return doc.benches.flatMap((b) => {
    const ok = b.results[0]?.ok;
    if (!ok) return [];
    return [{
      file: b.origin.replace(root, ""),
      group: b.group ?? b.name,
      name: b.name,
      n: ok.n,
      minMs: ok.min / 1e6,
      avgMs: ok.avg / 1e6,
      p75Ms: ok.p75 / 1e6,
    }];
  });
}

/**
 * The median of `values` (`NaN` when empty).
 *
 * @example Usage
 * ```ts
 * import { median } from "./bench.ts";
 * console.log(median([3, 1, 2]), median([1, 2, 3, 4])); // 2 2.5
 * ```
 * @param values Numbers.
 * @returns Their median.
 */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Formats a duration in milliseconds for a table: µs below 1 ms, s from 10 s.
 *
 * @example Usage
 * ```ts
 * import { formatMs } from "./bench.ts";
 * console.log(formatMs(0.25), formatMs(12.3), formatMs(12_345)); // 250 µs 12.3 ms 12.3 s
 * ```
 * @param ms Milliseconds.
 * @returns The formatted duration.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10_000) return `${ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

async function output(cmd: string, args: string[], env?: Record<string, string>) {
  const result = await new Deno.Command(cmd, { args, cwd: ROOT, env, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return { code: result.code, stdout: decoder.decode(result.stdout), stderr: decoder.decode(result.stderr) };
}

/** One `deno bench` run: its rows, and the first error line when a bench file failed. */
interface BenchRun {
  rows: BenchRow[];
  error?: string;
}

async function denoBench(file: string, env?: Record<string, string>, filter?: string): Promise<BenchRun> {
  const args = ["bench", "-A", "--json", ...(filter ? ["--filter", filter] : []), file];
  const prefix = env ? Object.entries(env).map(([k, v]) => `${k}=${v} `).join("") : "";
  console.error(`$ ${prefix}deno ${args.join(" ")}`);
  const run = await output(Deno.execPath(), args, env);
  // deno-lint-ignore no-control-regex
  const lines = run.stderr.replaceAll(/\x1b\[[0-9;]*m/g, "").split("\n");
  for (const note of lines.filter((l) => /skipped/i.test(l))) console.error(`  ${note}`);
  const rows = parseBenchJson(run.stdout, `file://${ROOT}/`);
  if (run.code === 0) return { rows };
  const error = lines.find((l) => /^error: (?!Bench failed)/.test(l)) ?? `deno bench exited ${run.code}`;
  console.error(`  ${file}: ${error}`);
  return { rows, error: `${file}: ${error}` };
}

/** Pythons to try: the one on PATH, then Debian's (where `apt-get install python3-torch` puts torch). */
const PYTHONS = ["python3", "/usr/bin/python3"];

async function torchEpoch(runs: number, threads: number): Promise<TorchResult> {
  let result: TorchResult = { available: false, reason: "python3 not found" };
  for (const python of PYTHONS) {
    console.error(`$ ${python} bench/torch_mlp_epoch.py ${runs} ${threads}`);
    try {
      const run = await output(python, ["bench/torch_mlp_epoch.py", String(runs), String(threads)]);
      result = run.code === 0
        ? JSON.parse(run.stdout)
        : { available: false, reason: `torch_mlp_epoch.py failed: ${run.stderr.trim()}` };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (result.available) break;
  }
  return result;
}

/** Copies `solutions/<slug>/` to a temporary target and appends a comment to one module: an edit. */
async function editedCopy(kata: Kata): Promise<string> {
  const target = await Deno.makeTempDir({ prefix: "ml-katas-edit-" });
  const from = join(ROOT, "solutions", kata.slug);
  const to = join(target, kata.slug);
  await Deno.mkdir(to);
  for await (const entry of Deno.readDir(from)) {
    if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
  const edited = join(to, kata.modules[0]);
  await Deno.writeTextFile(edited, `\n// edited by deno task bench at ${new Date().toISOString()}\n`, {
    append: true,
  });
  return target;
}

async function timeKata(kata: Kata, runs: number, alt: number): Promise<KataTiming> {
  const failed = new Set<string>();
  const once = async (target: string, env?: Record<string, string>) => {
    const [run, seconds] = await timed(() => runKataTests(kata, { target, quiet: true, env }));
    run.cases.filter((c) => c.status === "fail").forEach((c) => failed.add(c.name));
    if (run.code !== 0 && run.cases.length === 0) failed.add(`deno test exited ${run.code}`);
    return seconds;
  };
  console.error(
    `kata ${kata.slug}: warm-up, ${runs} re-run(s)${alt ? " × 2 thread settings" : ""}, one after an edit`,
  );
  const solutions = join(ROOT, "solutions");
  await once(solutions);
  const warmS: number[] = [];
  const warmAltS: number[] = [];
  for (let i = 0; i < runs; i++) {
    warmS.push(await once(solutions));
    if (alt) warmAltS.push(await once(solutions, { KATA_WASM_THREADS: String(alt) }));
  }
  const edited = await editedCopy(kata);
  try {
    const afterEditS = await once(edited);
    return {
      slug: kata.slug,
      passed: failed.size === 0,
      failed: [...failed],
      afterEditS,
      warmS,
      warmAltS,
    };
  } finally {
    await Deno.remove(edited, { recursive: true });
  }
}

const FLOOR_TEST = `import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@lib/backend/init.ts";
await initBackend();
Deno.test("one op", () => void tf.tidy(() => tf.ones([2, 2]).add(1).dataSync()));
`;

/**
 * What every kata run pays before its first test: a `deno test` process that imports tfjs,
 * initialises the backend and runs one op. The file is new, so its first run type-checks the
 * graph (tfjs's types included) as a run after editing a kata file does; the re-runs hit
 * Deno's check cache. Seconds.
 */
async function startupFloor(runs: number): Promise<{ firstS: number; warmS: number[] }> {
  const dir = await Deno.makeTempDir({ prefix: "ml-katas-floor-" });
  const file = join(dir, "floor_test.ts");
  await Deno.writeTextFile(file, FLOOR_TEST);
  const args = ["test", "--allow-read", "--allow-env", `--config=${join(ROOT, "deno.json")}`, file];
  console.error(`deno test startup floor: first run, then ${runs} re-run(s)`);
  const times: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const [run, seconds] = await timed(() => output(Deno.execPath(), args));
      if (run.code !== 0) throw new Error(`startup floor test failed:\n${run.stderr}`);
      times.push(seconds);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return { firstS: times[0], warmS: times.slice(1) };
}

function versionOf(imports: Record<string, string>, name: string): string {
  return imports[name]?.replace(/^npm:.*@/, "") ?? "?";
}

async function machine() {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const imports = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).imports;
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown",
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    tfjs: versionOf(imports, "@tensorflow/tfjs"),
    tfjsBackendWasm: versionOf(imports, "@tensorflow/tfjs-backend-wasm"),
    onnxruntimeWeb: versionOf(imports, "onnxruntime-web"),
    wasmThreads: requestedWasmThreads(),
  };
}

function table(header: string[], rows: string[][]): string {
  return markdownTable(header, rows, { numeric: true });
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a && b ? `${(a / b).toFixed(2)}×` : "–";
}

/** Markdown for everything measured (ratios use the fastest iteration of each bench). */
function report(results: Awaited<ReturnType<typeof measure>>): string {
  const { bench, benchAlt, benchErrors, torch, floor, katas, solutions, threads, altThreads: alt } = results;
  const wasmAlt = `wasm×${alt}`;
  const out: string[] = [];
  const wasmN = `wasm×${threads}`;
  const find = (rows: BenchRow[], group: string, suffix: string) =>
    rows.find((r) => r.group === group && r.name.endsWith(suffix));
  const mine = ["bench/backends_bench.ts", "bench/inference_bench.ts"];

  const backendGroups = [...new Set(bench.filter((r) => r.file === mine[0]).map((r) => r.group))];
  if (backendGroups.length) {
    const hasGpu = bench.some((r) => r.name.endsWith("webgpu"));
    out.push("### tfjs backends\n");
    out.push(table(
      [
        "benchmark",
        wasmN,
        ...(alt ? [wasmAlt] : []),
        "cpu",
        ...(hasGpu ? ["webgpu"] : []),
        ...(alt ? [`${wasmAlt} / ${wasmN}`] : []),
        `cpu / ${wasmN}`,
      ],
      backendGroups.map((group) => {
        const w = find(bench, group, wasmN);
        const w1 = find(benchAlt, group, wasmAlt);
        const c = find(bench, group, " cpu");
        const g = find(bench, group, "webgpu");
        return [
          group,
          formatMs(w?.minMs ?? NaN),
          ...(alt ? [formatMs(w1?.minMs ?? NaN)] : []),
          formatMs(c?.minMs ?? NaN),
          ...(hasGpu ? [formatMs(g?.minMs ?? NaN)] : []),
          ...(alt ? [ratio(w1?.minMs, w?.minMs)] : []),
          ratio(c?.minMs, w?.minMs),
        ];
      }),
    ));
    if (!hasGpu) out.push("\nwebgpu: skipped, no real (non-fallback) WebGPU adapter on this machine.");
  }

  const epochGroup = backendGroups.find((g) => g.startsWith("MLP epoch")) ?? "";
  const epochs: [string, BenchRow | undefined, TorchResult][] = [[
    `tfjs ${wasmN}`,
    find(bench, epochGroup, wasmN),
    torch[0],
  ]];
  if (alt) epochs.push([`tfjs ${wasmAlt}`, find(benchAlt, epochGroup, wasmAlt), torch[1]]);
  if (epochGroup || torch[0].available) out.push("\n### MLP epoch: tfjs vs PyTorch (CPU)\n");
  if (torch[0].available) {
    const pytorch = torch.filter((t) => t.available).map((t) => {
      const best = Math.min(...t.runs_ms);
      return [
        `PyTorch ${t.torch}, ${t.threads} thread(s)`,
        formatMs(best),
        String(t.runs_ms.length),
        "1.00×",
      ];
    });
    out.push(table(
      ["runtime", "epoch (fastest)", "runs", "tfjs / PyTorch, same threads"],
      [
        ...epochs.map(([label, row, t]) => [
          label,
          formatMs(row?.minMs ?? NaN),
          String(row?.n ?? "–"),
          t.available ? ratio(row?.minMs, Math.min(...t.runs_ms)) : "–",
        ]),
        ...pytorch,
      ],
    ));
  } else if (epochGroup) {
    out.push(`PyTorch skipped: ${torch[0].reason}.`);
  }

  const inferenceGroups = [...new Set(bench.filter((r) => r.file === mine[1]).map((r) => r.group))];
  if (inferenceGroups.length) {
    out.push("\n### Inference: fashion_mlp.onnx\n");
    out.push(table(
      [
        "batch",
        "onnxruntime-web (1 thread)",
        `tfjs ${wasmN}`,
        ...(alt ? [`tfjs ${wasmAlt}`] : []),
        `tfjs / ort`,
      ],
      inferenceGroups.map((group) => {
        const o = find(bench, group, "onnxruntime-web");
        const t = find(bench, group, wasmN);
        const t1 = find(benchAlt, group, wasmAlt);
        return [
          group.replace("predict ", ""),
          formatMs(o?.minMs ?? NaN),
          formatMs(t?.minMs ?? NaN),
          ...(alt ? [formatMs(t1?.minMs ?? NaN)] : []),
          ratio(t?.minMs, o?.minMs),
        ];
      }),
    ));
  }

  const others = bench.filter((r) => !mine.includes(r.file));
  if (others.length) {
    out.push("\n### Other benches\n");
    out.push(table(
      ["file", "benchmark", "fastest", "mean", "runs"],
      others.map((r) => [r.file, r.name, formatMs(r.minMs), formatMs(r.avgMs), String(r.n)]),
    ));
  }

  const failing = katas.filter((k) => !k.passed);
  if (failing.length) {
    out.push("\n### Kata tests that failed against solutions/ while timing\n");
    out.push(failing.flatMap((k) => k.failed.map((name) => `- ${k.slug}: ${name}`)).join("\n"));
  }

  if (benchErrors.length) {
    out.push("\n### Bench failures\n");
    out.push(benchErrors.map((e) => `- ${e}`).join("\n"));
  }

  if (katas.length) {
    out.push("\n### Kata suites against solutions/ (wall time of `deno test`, seconds)\n");
    out.push(table(
      [
        "kata",
        "passed",
        "after an edit",
        `re-run (median, ${threads} threads)`,
        ...(alt ? [`re-run, ${alt} thread(s)`] : []),
      ],
      katas.map((k) => [
        k.slug,
        k.passed ? "yes" : "NO",
        k.afterEditS.toFixed(1),
        median(k.warmS).toFixed(1),
        ...(alt ? [median(k.warmAltS).toFixed(1)] : []),
      ]),
    ));
    if (floor) {
      out.push(
        `\nThe floor under every run: a \`deno test\` process that imports tfjs, initialises the backend and ` +
          `runs one op takes ${median(floor.warmS).toFixed(1)} s (median re-run); ${
            floor.firstS.toFixed(1)
          } s ` +
          "when Deno must type-check the graph first (a new or edited file).",
      );
    }
  }

  if (results.loop.length) {
    out.push("\n### The learner's loop (`deno task solutions NN [--step N]`, median of the re-runs)\n");
    out.push(table(
      ["kata", "step", "title", "wall seconds", "CPU seconds", `wall ≤ ${STEP_BUDGET_S} s`],
      results.loop.map((t) => [
        t.slug,
        t.step === undefined ? "all" : String(t.step),
        t.title,
        `${median(t.seconds).toFixed(1)}${t.passed ? "" : " (failing)"}`,
        t.cpuSeconds.length ? median(t.cpuSeconds).toFixed(1) : "–",
        t.step === undefined ? "" : median(t.seconds) <= STEP_BUDGET_S ? "yes" : "no",
      ]),
    ));
  }

  const budgets: string[][] = [];
  if (solutions) {
    budgets.push([
      `\`deno task solutions\` (${solutions.katas} katas)`,
      `≤ ${BUDGETS.solutions} s`,
      `${solutions.seconds.toFixed(1)} s${solutions.ok ? "" : " (with failing tests)"}`,
      solutions.seconds <= BUDGETS.solutions ? "met" : "missed",
    ]);
  }
  for (const k of katas) {
    budgets.push([
      `${k.slug}, run after an edit`,
      `≤ ${BUDGETS.kata} s`,
      `${k.afterEditS.toFixed(1)} s`,
      k.afterEditS <= BUDGETS.kata ? "met" : "missed",
    ]);
    const warm = median(k.warmS);
    budgets.push([
      `${k.slug}, re-run (median)`,
      `≤ ${BUDGETS.warmKata} s`,
      `${warm.toFixed(1)} s`,
      warm <= BUDGETS.warmKata ? "met" : "missed",
    ]);
  }
  if (budgets.length) {
    out.push("\n### Budgets\n");
    out.push(table(["what", "budget", "measured", "result"], budgets));
  }
  return out.join("\n");
}

async function measure({ runs, only, kataNames }: ReturnType<typeof parseArgs>) {
  // unknown names fail first
  const selected = only.has("katas") || only.has("loop") ? await selectKatas(kataNames) : [];
  const threads = requestedWasmThreads();
  const cores = Math.min(navigator.hardwareConcurrency || 1, MAX_WASM_THREADS);
  // The thread count compared with the default: 1 when the default is threaded, else all cores.
  const alt = threads > 1 ? 1 : cores > 1 ? cores : 0;
  const started = new Date().toISOString();
  const loadBefore = Deno.loadavg();
  const mine = ["bench/backends_bench.ts", "bench/inference_bench.ts"];
  const bench: BenchRow[] = [];
  const benchAlt: BenchRow[] = [];
  const benchErrors: string[] = [];
  if (only.has("bench")) {
    const files = [];
    for await (const entry of Deno.readDir(join(ROOT, "bench"))) {
      if (entry.isFile && /_bench\.ts$/.test(entry.name)) files.push(`bench/${entry.name}`);
    }
    for (const file of files.sort()) {
      const run = await denoBench(file);
      bench.push(...run.rows);
      if (run.error) benchErrors.push(run.error);
    }
    for (const file of alt ? mine : []) {
      const run = await denoBench(file, { KATA_WASM_THREADS: String(alt) }, `wasm×${alt}`);
      benchAlt.push(...run.rows);
      if (run.error) benchErrors.push(`KATA_WASM_THREADS=${alt} ${run.error}`);
    }
  }
  const torch: TorchResult[] = [];
  for (const count of alt ? [threads, alt] : [threads]) {
    torch.push(
      only.has("torch") ? await torchEpoch(runs, count) : { available: false, reason: "not run (--only)" },
    );
  }
  const katas: KataTiming[] = [];
  let floor: { firstS: number; warmS: number[] } | undefined;
  if (only.has("katas")) {
    floor = await startupFloor(runs);
    for (const kata of selected) katas.push(await timeKata(kata, runs, alt));
  }
  const loop: LoopTiming[] = [];
  if (only.has("loop")) {
    for (const kata of selected) loop.push(...await timeLearnerLoop(kata, runs));
  }
  let solutions: { ok: boolean; seconds: number; katas: number } | undefined;
  if (only.has("solutions")) {
    console.error("$ deno task solutions");
    const [run, seconds] = await timed(() => output(Deno.execPath(), ["task", "solutions"]));
    solutions = { ok: run.code === 0, seconds, katas: (await listKatas()).length };
  }
  return {
    started,
    machine: await machine(),
    loadAverage: { before: loadBefore, after: Deno.loadavg() },
    threads,
    altThreads: alt,
    runs,
    bench,
    benchAlt,
    benchErrors,
    torch,
    floor,
    katas,
    loop,
    solutions,
  };
}

/**
 * Reads the task's arguments: `--runs N` (timed re-runs per kata and PyTorch epochs, default
 * 3), `--only bench,torch,katas,loop,solutions` (default all) and `--katas 01,03` (default all).
 * Throws on anything else.
 *
 * @example Usage
 * ```ts
 * import { parseArgs } from "./bench.ts";
 * console.log(parseArgs(["--runs", "2", "--only=katas", "--katas=1"]));
 * // { runs: 2, only: Set(1) { "katas" }, kataNames: ["1"] }
 * ```
 * @param args The command-line arguments.
 * @returns The number of runs, the sections to run, and the katas (empty: all).
 */
export function parseArgs(args: string[]): { runs: number; only: Set<string>; kataNames: string[] } {
  let runs = 3;
  let only = new Set<string>(SECTIONS);
  let kataNames: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = () => inline ?? args[++i] ?? "";
    if (flag === "--runs") {
      runs = Number(value());
      if (!Number.isInteger(runs) || runs < 1) {
        throw new Error(`--runs needs a whole number ≥ 1, got ${runs}`);
      }
    } else if (flag === "--only") {
      only = new Set(value().split(","));
      const unknown = [...only].filter((s) => !(SECTIONS as readonly string[]).includes(s));
      if (unknown.length) {
        throw new Error(`--only: unknown section ${unknown.join(", ")}; use ${SECTIONS.join(",")}`);
      }
    } else if (flag === "--katas") {
      kataNames = value().split(",").filter(Boolean);
    } else {
      throw new Error(
        `unknown argument ${args[i]}; usage: deno task bench [--runs N] [--only ${
          SECTIONS.join(",")
        }] [--katas 01,03]`,
      );
    }
  }
  return { runs, only, kataNames };
}

/**
 * `deno task bench`'s body: parses the command line, measures, writes `out/bench/results.json` and prints
 * the tables.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./bench.ts";
 * Deno.exit(await main(["--only", "bench"]));
 * ```
 * @param argv The command line.
 * @returns The exit code.
 */
export async function main(argv: string[] = Deno.args): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const results = await measure(args);
  const dir = join(ROOT, "out", "bench");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  const m = results.machine;
  console.log(`\n## Benchmarks, ${results.started}\n`);
  console.log(
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Deno ${m.deno} (V8 ${m.v8}), tfjs ${m.tfjs}, ` +
      `tfjs-backend-wasm ${m.tfjsBackendWasm}, onnxruntime-web ${m.onnxruntimeWeb}; wasm threads ${m.wasmThreads}; ` +
      `load average ${results.loadAverage.before.map((l) => l.toFixed(2)).join(" ")} before, ` +
      `${results.loadAverage.after.map((l) => l.toFixed(2)).join(" ")} after.\n`,
  );
  console.log(report(results));
  console.log(`\nfull results: out/bench/results.json`);
  const failed = results.katas.some((k) => !k.passed) || results.solutions?.ok === false;
  return failed ? 1 : 0;
}
