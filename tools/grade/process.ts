/**
 * Runs one Deno command for the grader inside the sandbox: wrapped in bubblewrap or, in
 * permissions mode, as a plain child with a cleared environment; in its own process group,
 * with a wall-clock limit (SIGINT to the test process, so Deno reports what finished and what
 * was running, then SIGKILL to the whole group {@linkcode STOP_GRACE_MS} later), an optional
 * memory watchdog, and its output read as bounded streams. Whatever happens, the process group
 * is killed before this returns, so no process outlives its run.
 *
 * @example Usage
 * ```ts ignore
 * import { runSandboxed } from "./process.ts";
 * const run = await runSandboxed({ isolation, plan, args: ["test", "x_test.ts"], seconds: 60 });
 * console.log(run.code, run.timedOut, run.stdout);
 * ```
 * @module
 */
import { STOP_GRACE_MS } from "../runner/run_tests.ts";
import { type Bounds, readBounded } from "./bounded.ts";
import { bwrapArgs, type Isolation, type SandboxPlan } from "./isolation.ts";
import { processName, processTree, watchMemory } from "./memory.ts";

/** Default bounds of standard output: what a TAP report of a large kata needs, many times over. */
export const STDOUT_BOUNDS: Bounds = { head: 8 * 1024 * 1024, tail: 1024 * 1024 };

/** Default bounds of standard error. */
export const STDERR_BOUNDS: Bounds = { head: 1024 * 1024, tail: 256 * 1024 };

/** A command to run sandboxed. */
export interface SandboxedCommand {
  /** The isolation in force. */
  isolation: Isolation;
  /** What the process sees (files, environment, working directory). */
  plan: SandboxPlan;
  /** Deno's arguments (`test ...`, `check ...`). */
  args: string[];
  /** Wall-clock limit in seconds. */
  seconds: number;
  /** Memory cap in MiB for the watchdog; none when absent. */
  memoryMiB?: number;
  /** Stops the run (the grader was interrupted). */
  signal?: AbortSignal;
  /** Bytes of standard output to keep (default {@linkcode STDOUT_BOUNDS}). */
  stdout?: Bounds;
  /** Bytes of standard error to keep (default {@linkcode STDERR_BOUNDS}). */
  stderr?: Bounds;
}

/** What a sandboxed run did. */
export interface SandboxedResult {
  /** Exit code (of `bwrap`, which passes on the command's). */
  code: number;
  /** The signal that ended it, if one did. */
  signal: Deno.Signal | null;
  /** Standard output, bounded. */
  stdout: string;
  /** Standard error, bounded. */
  stderr: string;
  /** Bytes of output not read. */
  dropped: { stdout: number; stderr: number };
  /** True when the wall-clock limit stopped it. */
  timedOut: boolean;
  /** True when the memory watchdog killed it. */
  memoryExceeded: boolean;
}

/** Signals a process group, ignoring one that is gone. */
function signalGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGINT to the processes of the tree that run the command (not bubblewrap, which would kill them at once). */
function interrupt(pid: number, sandboxed: boolean): void {
  if (!sandboxed) return signalGroup(pid, "SIGINT");
  for (const member of processTree(pid)) {
    if (processName(member) === "bwrap") continue;
    try {
      Deno.kill(member, "SIGINT");
    } catch {
      // gone
    }
  }
}

/**
 * Runs `command` sandboxed (see the module doc).
 *
 * @example Usage
 * ```ts ignore
 * import { runSandboxed } from "./process.ts";
 * const run = await runSandboxed({ isolation, plan, args: ["check", "x_test.ts"], seconds: 120 });
 * ```
 * @param command What to run, how, and its limits.
 * @returns What happened.
 */
export async function runSandboxed(command: SandboxedCommand): Promise<SandboxedResult> {
  const { isolation, plan } = command;
  const sandboxed = isolation.mode === "bubblewrap";
  const denoDirEntries = sandboxed && plan.denoDir === "private" ? await entries(isolation.denoDir) : [];
  const [program, ...args] = sandboxed
    ? [isolation.bwrap!, ...bwrapArgs(isolation, plan, [Deno.execPath(), ...command.args], denoDirEntries)]
    : [Deno.execPath(), ...command.args];
  const child = new Deno.Command(program, {
    args,
    cwd: plan.cwd,
    env: plan.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  let timedOut = false;
  let killer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    if (killer !== undefined) return;
    interrupt(child.pid, sandboxed);
    killer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), STOP_GRACE_MS);
  };
  const limit = setTimeout(() => {
    timedOut = true;
    stop();
  }, command.seconds * 1000);
  if (command.signal?.aborted) stop();
  command.signal?.addEventListener("abort", stop);
  const watch = command.memoryMiB !== undefined ? watchMemory(child.pid, command.memoryMiB) : undefined;
  const reading = Promise.all([
    readBounded(child.stdout, command.stdout ?? STDOUT_BOUNDS),
    readBounded(child.stderr, command.stderr ?? STDERR_BOUNDS),
  ]);
  try {
    const status = await child.status;
    signalGroup(child.pid, "SIGKILL"); // anything the command left behind in its group
    const [stdout, stderr] = await reading;
    return {
      code: status.code,
      signal: status.signal,
      stdout: stdout.text,
      stderr: stderr.text,
      dropped: { stdout: stdout.dropped, stderr: stderr.dropped },
      timedOut,
      memoryExceeded: watch?.exceeded ?? false,
    };
  } finally {
    clearTimeout(limit);
    clearTimeout(killer);
    command.signal?.removeEventListener("abort", stop);
    watch?.stop();
    signalGroup(child.pid, "SIGKILL");
    await child.status;
    await reading.catch(() => {});
  }
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch {
    // no cache yet
  }
  return names;
}
