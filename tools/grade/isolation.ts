/**
 * Operating-system isolation of a graded process with bubblewrap (`bwrap`, Debian package
 * `bubblewrap`): new user, mount, PID, network, IPC, UTS and cgroup namespaces; a root file
 * system holding only the Deno binary and the libraries it links, the folders a run needs
 * (read-only unless stated) and a private, size-capped `tmpfs` for scratch; a private view of
 * Deno's cache whose location data (`localStorage`, the Cache API) starts empty and vanishes
 * with the run; an in-sandbox user `nobody` (65534) without capabilities; and a cleared
 * environment. Where bubblewrap cannot run (not Linux, not installed, user namespaces
 * disabled) grading falls back to Deno's permissions alone, and says so.
 *
 * @example Usage
 * ```ts ignore
 * import { bwrapArgs, detectIsolation } from "./isolation.ts";
 * const isolation = await detectIsolation("auto");
 * if (isolation.mode === "bubblewrap") {
 *   const argv = bwrapArgs(isolation, plan, [Deno.execPath(), "test", "x_test.ts"]);
 * }
 * ```
 * @module
 */
import { dirname, join } from "node:path";

/** How graded processes are isolated. */
export type IsolationMode = "bubblewrap" | "permissions";

/** What the user asked for: `auto` uses bubblewrap where it works. */
export type IsolationRequest = IsolationMode | "auto";

/** The isolation in force for a grading. */
export interface Isolation {
  /** The mode. */
  mode: IsolationMode;
  /** Why bubblewrap is not used, in permissions mode. */
  reason?: string;
  /** The `bwrap` executable, in bubblewrap mode. */
  bwrap?: string;
  /** Files to mount for the Deno binary to start (the binary, its loader and libraries). */
  runtime: string[];
  /** Deno's cache folder (`DENO_DIR`) as the grader's Deno sees it. */
  denoDir: string;
}

/**
 * The V8 code cache in Deno's cache folder (Deno 2: an SQLite database). A graded process in
 * bubblewrap mode gets a private copy, so V8 need not compile tfjs anew in every run, and nothing
 * graded code causes is written back.
 */
export const CODE_CACHE = "v8_code_cache_v2";

/** Size of a graded process's scratch `tmpfs` in bubblewrap mode, in MiB. */
export const SCRATCH_MIB = 512;

/** The user graded code runs as inside the sandbox (`nobody`). */
export const SANDBOX_UID = 65534;

/** Thrown when `--isolation bubblewrap` was asked for but cannot be had. */
export class IsolationUnavailableError extends Error {
  /** @param reason Why bubblewrap cannot run. */
  constructor(reason: string) {
    super(`--isolation bubblewrap: ${reason}`);
    this.name = "IsolationUnavailableError";
  }
}

/** What a sandboxed process gets to see and do. */
export interface SandboxPlan {
  /** The working directory (the repository root). */
  cwd: string;
  /** Files and folders mounted read-only at the same path (missing ones are skipped). */
  readOnly: string[];
  /** Folders mounted read-write at the same path. */
  readWrite: string[];
  /** A folder replaced by a private, empty `tmpfs` of {@linkcode SCRATCH_MIB} (graded code's `TMPDIR`). */
  scratch?: string;
  /**
   * Deno's cache. `private` (graded code runs): its entries read-only over an empty folder, so
   * location data starts empty and is discarded with the run, and the V8 code cache from
   * `codeCache`, a private copy. `trusted` (the census, which runs the course's own stub): as it
   * is, read-write, but with its own empty location data. `writable` (type-checking, which runs no
   * code): as it is.
   */
  denoDir: "private" | "trusted" | "writable";
  /** A private copy of Deno's V8 code cache, mounted in its place (`private` only). */
  codeCache?: string;
  /** The complete environment. */
  env: Record<string, string>;
}

/**
 * One line saying how graded code is isolated, for the reports.
 *
 * @example Usage
 * ```ts
 * import { describeIsolation } from "./isolation.ts";
 * console.log(describeIsolation({ mode: "permissions", reason: "bubblewrap needs Linux, this is darwin" }));
 * // Deno permissions only, without operating-system isolation (bubblewrap needs Linux, this is darwin)
 * ```
 * @param isolation The mode and, in permissions mode, why.
 * @returns The line.
 */
export function describeIsolation(isolation: Pick<Isolation, "mode" | "reason">): string {
  return isolation.mode === "bubblewrap"
    ? "bubblewrap: own file system view, no network, cleared environment, private location data, and Deno permissions"
    : `Deno permissions only, without operating-system isolation (${isolation.reason ?? "as asked"})`;
}

async function output(command: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const out = await new Deno.Command(command, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
    const decoder = new TextDecoder();
    return { ok: out.success, text: `${decoder.decode(out.stdout)}${decoder.decode(out.stderr)}`.trim() };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  }
}

/** Deno's cache folder as the running Deno uses it. */
async function denoCacheDir(): Promise<string> {
  const info = await output(Deno.execPath(), ["info", "--json"]);
  try {
    const dir = JSON.parse(info.text).denoDir;
    if (typeof dir === "string" && dir) return dir;
  } catch {
    // fall through
  }
  throw new Error(`cannot find Deno's cache folder: \`deno info --json\` said: ${info.text.slice(0, 200)}`);
}

/**
 * The files the Deno binary needs to start, from `ldd`: the binary, the dynamic loader and
 * each linked library (at the path the loader looks for, and the file it links to). Without
 * `ldd` (a static binary, or none installed) the system library folders.
 */
async function runtimeFiles(): Promise<string[]> {
  const exe = Deno.execPath();
  const files = new Set([exe]);
  const ldd = await output("ldd", [exe]);
  const paths = ldd.ok ? [...ldd.text.matchAll(/(?:=> )?(\/\S+) \(0x[0-9a-f]+\)/g)].map((m) => m[1]) : [];
  if (paths.length === 0) return [exe, "/lib", "/lib64", "/usr/lib", "/usr/lib64"];
  for (const path of paths) {
    files.add(path);
    files.add(await Deno.realPath(path).catch(() => path));
  }
  return [...files];
}

/**
 * Arguments of `bwrap` running `command` as `plan` says.
 *
 * @example Usage
 * ```ts
 * import { bwrapArgs } from "./isolation.ts";
 * const isolation = { mode: "bubblewrap" as const, bwrap: "bwrap", runtime: ["/bin/deno"], denoDir: "/c/deno" };
 * const plan = { cwd: "/r", readOnly: ["/r/lib"], readWrite: [], denoDir: "writable" as const, env: { A: "1" } };
 * console.log(bwrapArgs(isolation, plan, ["/bin/deno", "check"], []).join(" ").includes("--unshare-net")); // true
 * ```
 * @param isolation The detected isolation (runtime files, Deno's cache).
 * @param plan What the process sees.
 * @param command The program and its arguments.
 * @param denoDirEntries Names in Deno's cache folder (for a private view).
 * @returns The argument list for `bwrap`.
 */
export function bwrapArgs(
  isolation: Isolation,
  plan: SandboxPlan,
  command: string[],
  denoDirEntries: string[],
): string[] {
  const args = [
    "--unshare-all",
    "--unshare-user",
    "--uid",
    String(SANDBOX_UID),
    "--gid",
    String(SANDBOX_UID),
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    "--hostname",
    "sandbox",
    "--clearenv",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
  ];
  for (const [name, value] of Object.entries(plan.env)) args.push("--setenv", name, value);
  for (const file of isolation.runtime) args.push("--ro-bind-try", file, file);
  const denoDir = isolation.denoDir;
  if (plan.denoDir !== "private") {
    args.push("--bind", denoDir, denoDir);
    if (plan.denoDir === "trusted") args.push("--tmpfs", join(denoDir, "location_data"));
  } else {
    args.push("--tmpfs", denoDir);
    for (const name of denoDirEntries) {
      if (name === "location_data" || (plan.codeCache && name.startsWith(CODE_CACHE))) continue;
      args.push("--ro-bind-try", join(denoDir, name), join(denoDir, name));
    }
    if (plan.codeCache) args.push("--bind", plan.codeCache, join(denoDir, CODE_CACHE));
  }
  for (const path of plan.readOnly) args.push("--ro-bind-try", path, path);
  for (const path of plan.readWrite) args.push("--bind", path, path);
  if (plan.scratch) args.push("--size", String(SCRATCH_MIB * 1024 * 1024), "--tmpfs", plan.scratch);
  args.push("--chdir", plan.cwd, "--", ...command);
  return args;
}

const detected = new Map<IsolationRequest, Promise<Isolation>>();

/**
 * Finds out, once per process, whether bubblewrap can isolate graded processes here: it runs
 * `deno --version` in a sandbox like a graded run's.
 *
 * @example Usage
 * ```ts ignore
 * import { detectIsolation } from "./isolation.ts";
 * const { mode, reason } = await detectIsolation("auto");
 * ```
 * @param request `auto` (bubblewrap where it works), `bubblewrap` (required: throws
 *   {@linkcode IsolationUnavailableError} without it) or `permissions` (never bubblewrap).
 * @returns The isolation to use.
 */
export function detectIsolation(request: IsolationRequest = "auto"): Promise<Isolation> {
  let found = detected.get(request);
  if (!found) {
    found = detect(request);
    detected.set(request, found);
    found.catch(() => detected.delete(request));
  }
  return found;
}

async function detect(request: IsolationRequest): Promise<Isolation> {
  const [denoDir, runtime] = await Promise.all([denoCacheDir(), runtimeFiles()]);
  const fallback = (reason: string): Isolation => {
    if (request === "bubblewrap") throw new IsolationUnavailableError(reason);
    return { mode: "permissions", reason, runtime, denoDir };
  };
  if (request === "permissions") {
    return { mode: "permissions", reason: "--isolation permissions", runtime, denoDir };
  }
  if (Deno.build.os !== "linux") return fallback(`bubblewrap needs Linux, this is ${Deno.build.os}`);
  const version = await output("bwrap", ["--version"]);
  if (!version.ok) return fallback("bubblewrap (bwrap) is not installed: apt-get install bubblewrap");
  const isolation: Isolation = { mode: "bubblewrap", bwrap: "bwrap", runtime, denoDir };
  const plan: SandboxPlan = {
    cwd: dirname(Deno.execPath()),
    readOnly: [],
    readWrite: [],
    denoDir: "private",
    env: {},
  };
  const probe = await output("bwrap", bwrapArgs(isolation, plan, [Deno.execPath(), "--version"], []));
  if (!probe.ok) return fallback(`bubblewrap cannot run here: ${probe.text.split("\n")[0]}`);
  return isolation;
}

/**
 * The `DENO_DIR` a graded test run gets, so that its location data (`localStorage`, the Cache
 * API) is its own and is gone after it: with bubblewrap, Deno's cache itself (the sandbox
 * mounts a private view of it, see {@linkcode bwrapArgs}); in permissions mode, a folder in
 * `work` linking every entry of Deno's cache except `location_data`. Where links cannot be
 * made (Windows without developer mode), Deno's cache itself.
 *
 * @example Usage
 * ```ts ignore
 * import { privateDenoDir } from "./isolation.ts";
 * const denoDir = await privateDenoDir(isolation, "/tmp/ml-katas-grade-x");
 * ```
 * @param isolation The isolation in force.
 * @param work A folder of the run, removed after it.
 * @returns The folder to use as `DENO_DIR`.
 */
export async function privateDenoDir(isolation: Isolation, work: string): Promise<string> {
  if (isolation.mode === "bubblewrap") return isolation.denoDir;
  const dir = join(work, "deno-dir");
  await Deno.mkdir(dir, { recursive: true });
  try {
    for await (const entry of Deno.readDir(isolation.denoDir)) {
      if (entry.name === "location_data") continue;
      await Deno.symlink(join(isolation.denoDir, entry.name), join(dir, entry.name));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return dir;
    return isolation.denoDir;
  }
  return dir;
}
