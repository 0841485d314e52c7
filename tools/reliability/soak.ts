/**
 * `deno task soak`: runs one process many times, one after another, and counts how each ended — the
 * measurement behind RELIABILITY.md (Deno aborting at exit, issue 23). Two subjects:
 *
 * ```sh
 * nice -n 19 deno task soak repro --runs 500                  # repro/abort/exit_abort.ts, as the project runs
 * nice -n 19 deno task soak repro --runs 300 REPRO_GPU=1      # ... with the unguarded WebGPU probe (aborts)
 * nice -n 19 deno task soak repro --deno run REPRO_GPU=1      # ... under `deno run` instead of `deno test`
 * nice -n 19 deno task soak katas --runs 100 [NAME...]        # every test file of the katas, against solutions/
 * ```
 *
 * `repro` runs `deno test` (or `deno run`) on `repro/abort/exit_abort.ts` with the given `REPRO_*`
 * variables (default {@linkcode DEFAULT_REPRO_ENV}: what a kata test process loads). `katas` runs each
 * test file of the named katas (default all) in its own `deno test` process against the reference
 * solutions, with the permissions and import map of `deno task solutions`, round after round so an
 * interrupted soak still has even counts. `--hogs N` keeps N busy-looping processes beside the soak
 * (the abort is a race that load makes likelier). It prints each abort's last line of output (glibc's
 * message), one line of counts per subject, and exits 1 when any run aborted or failed.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, selectKatas } from "../catalog/katas.ts";
import { writeImportMap } from "../runner/import_map.ts";
import { isCrash, kataTestFiles, TEST_PERMISSIONS } from "../runner/run_tests.ts";
import { CHECK_FLAGS } from "../runner/compile.ts";

/** The reproduction's conditions when none are given: the WebGPU probe of `initBackend`, tfjs-wasm, onnxruntime-web. */
export const DEFAULT_REPRO_ENV: Readonly<Record<string, string>> = {
  REPRO_GPU: "guard",
  REPRO_TFJS: "1",
  REPRO_ORT: "1",
};

/** The reproduction module. */
export const REPRO_MODULE = "repro/abort/exit_abort.ts";

/** What `deno task soak` was asked to do. */
export interface SoakOptions {
  /** `repro` (the reproduction) or `katas` (the katas' test files). */
  subject: "repro" | "katas";
  /** Runs per process (per test file for `katas`). */
  runs: number;
  /** `deno test` or `deno run` (`repro` only). */
  deno: "test" | "run";
  /** Busy-looping processes to keep beside the soak. */
  hogs: number;
  /** `REPRO_*` variables (`repro`). */
  env: Record<string, string>;
  /** Kata names (`katas`; empty: all). */
  names: string[];
}

/**
 * Parses `deno task soak`'s arguments; throws a clear error for a wrong one.
 *
 * @example Usage
 * ```ts
 * import { parseSoakArgs } from "./soak.ts";
 * console.log(parseSoakArgs(["repro", "--runs", "300", "REPRO_GPU=1"]).env); // { REPRO_GPU: "1" }
 * ```
 * @param args The command-line arguments.
 * @returns The options.
 */
export function parseSoakArgs(args: string[]): SoakOptions {
  const { values, positionals } = parseArgs({
    args,
    options: {
      runs: { type: "string" },
      deno: { type: "string", default: "test" },
      hogs: { type: "string", default: "0" },
    },
    allowPositionals: true,
  });
  const [subject, ...rest] = positionals;
  if (subject !== "repro" && subject !== "katas") {
    throw new Error(
      `soak: say what to soak: "repro" or "katas" (got ${subject ?? "nothing"}); ` +
        "usage: deno task soak repro|katas [--runs N] [--deno test|run] [--hogs N] [REPRO_X=v | NAME]...",
    );
  }
  const count = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      throw new Error(`soak: --${name} "${raw}" must be an integer ≥ ${min}`);
    }
    return n;
  };
  const runs = count("runs", values.runs ?? (subject === "repro" ? "200" : "100"), 1);
  const hogs = count("hogs", values.hogs, 0);
  if (values.deno !== "test" && values.deno !== "run") {
    throw new Error(`soak: --deno "${values.deno}" must be "test" or "run"`);
  }
  if (subject === "katas" && values.deno !== "test") throw new Error("soak: katas run under deno test only");
  const env: Record<string, string> = {};
  const names: string[] = [];
  for (const arg of rest) {
    const eq = arg.indexOf("=");
    if (subject === "repro" && eq > 0 && arg.startsWith("REPRO_")) env[arg.slice(0, eq)] = arg.slice(eq + 1);
    else if (subject === "katas") names.push(arg);
    else throw new Error(`soak: "${arg}" is not a REPRO_NAME=value setting (see ${REPRO_MODULE})`);
  }
  return {
    subject,
    runs,
    deno: values.deno,
    hogs,
    env: subject === "repro" && Object.keys(env).length === 0 ? { ...DEFAULT_REPRO_ENV } : env,
    names,
  };
}

/** How one process ended. */
export interface Outcome {
  /** Exit code (128 + signal number when a signal ended it). */
  code: number;
  /** The signal that ended it, if one did. */
  signal: Deno.Signal | null;
  /** Its last non-empty line of standard error (an abort's glibc message). */
  lastLine: string;
}

/**
 * One line of counts: runs, aborts with their share, and every exit code's count.
 *
 * @example Usage
 * ```ts
 * import { summarize } from "./soak.ts";
 * const ok = { code: 0, signal: null, lastLine: "" };
 * console.log(summarize("repro", [ok, ok, { ...ok, code: 134 }]));
 * // "repro: 3 runs, 1 aborted (33.3 %); exit codes: 0 ×2, 134 ×1"
 * ```
 * @param label What ran.
 * @param outcomes How each run ended.
 * @returns The line.
 */
export function summarize(label: string, outcomes: Outcome[]): string {
  const aborts = outcomes.filter(isCrash).length;
  const codes = new Map<number, number>();
  for (const { code } of outcomes) codes.set(code, (codes.get(code) ?? 0) + 1);
  const tally = [...codes].sort(([a], [b]) => a - b).map(([code, n]) => `${code} ×${n}`).join(", ");
  const share = outcomes.length ? ` (${(100 * aborts / outcomes.length).toFixed(1)} %)` : "";
  return `${label}: ${outcomes.length} runs, ${aborts} aborted${share}; exit codes: ${tally || "none"}`;
}

async function runOnce(args: string[], env: Record<string, string>): Promise<Outcome> {
  const { code, signal, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(stderr).split("\n").map((l) => l.trim()).filter(Boolean);
  return { code, signal, lastLine: lines.at(-1) ?? "" };
}

/** Starts `count` busy-looping Deno processes; returns a function that ends them. */
function startHogs(count: number): () => Promise<void> {
  const hogs = Array.from({ length: count }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["eval", "for (;;) {}"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn());
  return async () => {
    for (const hog of hogs) hog.kill("SIGKILL");
    await Promise.all(hogs.map((hog) => hog.status));
  };
}

/** The processes to soak: a label, `deno` arguments and environment for each. */
interface Subject {
  label: string;
  args: string[];
  env: Record<string, string>;
}

async function subjects(options: SoakOptions, tmp: string): Promise<Subject[]> {
  if (options.subject === "repro") {
    const settings = Object.entries(options.env).map(([k, v]) => `${k}=${v}`).join(" ");
    return [{
      label: `deno ${options.deno} ${REPRO_MODULE} ${settings}`,
      args: [options.deno, "-A", REPRO_MODULE],
      env: options.env,
    }];
  }
  const katas = await selectKatas(options.names);
  const map = `--import-map=${await writeImportMap(join(ROOT, "solutions"), katas, { dir: tmp })}`;
  const files = (await Promise.all(katas.map((kata) => kataTestFiles(kata)))).flat();
  const check = await new Deno.Command(Deno.execPath(), {
    args: ["check", ...CHECK_FLAGS, map, ...files],
    cwd: ROOT,
  })
    .output();
  if (!check.success) throw new Error("soak: the katas' test files do not type-check against solutions/");
  return files.map((file) => ({
    label: file.slice(ROOT.length + 1),
    args: ["test", ...TEST_PERMISSIONS, map, "--no-check", file],
    env: {},
  }));
}

/**
 * `deno task soak`'s body: runs the reproduction or the kata test files many times, one after another, and
 * counts how each process ended.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./soak.ts";
 * Deno.exit(await main(["repro", "--runs", "20"]));
 * ```
 * @param args The command line.
 * @returns The exit code: 1 on any crash or failure.
 */
export async function main(args: string[] = Deno.args): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseSoakArgs(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const load = () => Deno.loadavg().map((l) => l.toFixed(2)).join(" ");
  const loadBefore = load();
  const tmp = await Deno.makeTempDir({ prefix: "ml-katas-soak-" });
  const stopHogs = startHogs(options.hogs);
  const started = Date.now();
  const outcomes = new Map<Subject, Outcome[]>();
  try {
    const all = await subjects(options, tmp);
    for (let round = 1; round <= options.runs; round++) {
      for (const subject of all) {
        const outcome = await runOnce(subject.args, subject.env);
        outcomes.set(subject, [...outcomes.get(subject) ?? [], outcome]);
        if (outcome.code !== 0) {
          console.log(`run ${round} of ${subject.label}: exit ${outcome.code}: ${outcome.lastLine}`);
        }
      }
      if (all.length > 1) console.error(`round ${round}/${options.runs} done`);
    }
  } finally {
    await stopHogs();
    await Deno.remove(tmp, { recursive: true });
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `\nDeno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, ${options.hogs} busy processes ` +
      `beside the soak; load average ${loadBefore} before, ${load()} after; ${minutes} min`,
  );
  for (const [subject, list] of outcomes) console.log(summarize(subject.label, list));
  const everything = [...outcomes.values()].flat();
  if (outcomes.size > 1) console.log(summarize("all", everything));
  return everything.every((o) => o.code === 0) ? 0 : 1;
}
