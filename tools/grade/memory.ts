/**
 * A resident-memory watchdog for a graded process and everything it started (with bubblewrap
 * the test process is a grandchild: `bwrap` → its init → `deno`). V8's heap limit
 * (`--max-old-space-size`) does not cover typed arrays or WebAssembly memory, so a submission
 * filling `Uint8Array`s would otherwise take the machine's memory. On Linux the watchdog sums
 * the resident sets of the process tree from `/proc` a few times a second and kills the
 * process group when the sum passes the limit; elsewhere it does nothing (the heap limit still
 * applies).
 *
 * @example Usage
 * ```ts ignore
 * import { watchMemory } from "./memory.ts";
 * const watch = watchMemory(child.pid, 4096);
 * await child.status;
 * watch.stop();
 * if (watch.exceeded) console.log(`killed at ${watch.peakMiB} MiB`);
 * ```
 * @module
 */

/** How often the watchdog looks, in milliseconds. */
export const WATCH_INTERVAL_MS = 100;

/** A running watchdog. */
export interface MemoryWatch {
  /** Stops watching. */
  stop(): void;
  /** True once the process was killed for passing the limit. */
  readonly exceeded: boolean;
  /** The largest resident set seen, in MiB. */
  readonly peakMiB: number;
}

/**
 * The resident set size of a process in MiB, or undefined where `/proc` is not available or the
 * process is gone.
 *
 * @example Usage
 * ```ts
 * import { residentMiB } from "./memory.ts";
 * console.log(residentMiB(Deno.pid) ?? "no /proc here");
 * ```
 * @param pid The process.
 * @returns Its resident memory.
 */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kib ? Number(kib[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A process and its descendants, parents first, from `/proc/<pid>/task/<pid>/children` (Linux);
 * just `[pid]` where that is not available.
 *
 * @example Usage
 * ```ts
 * import { processTree } from "./memory.ts";
 * console.log(processTree(Deno.pid)[0] === Deno.pid); // true
 * ```
 * @param pid The root process.
 * @returns The process ids.
 */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length && tree.length < 64; i++) {
    try {
      const children = Deno.readTextFileSync(`/proc/${tree[i]}/task/${tree[i]}/children`);
      for (const child of children.trim().split(/\s+/)) if (child) tree.push(Number(child));
    } catch {
      // gone, or no /proc
    }
  }
  return tree;
}

/**
 * The name a process was started as (`/proc/<pid>/comm`), or undefined.
 *
 * @example Usage
 * ```ts
 * import { processName } from "./memory.ts";
 * console.log(processName(Deno.pid)); // "deno" on Linux
 * ```
 * @param pid The process.
 * @returns Its command name.
 */
export function processName(pid: number): string | undefined {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/comm`).trim();
  } catch {
    return undefined;
  }
}

/**
 * Watches `pid` and its descendants and SIGKILLs its process group (`-pid`) when their resident
 * memory together passes `limitMiB`.
 *
 * @example Usage
 * ```ts ignore
 * import { watchMemory } from "./memory.ts";
 * const watch = watchMemory(pid, 2048);
 * ```
 * @param pid The process, leader of its own process group.
 * @param limitMiB The limit.
 * @returns The watch.
 */
export function watchMemory(pid: number, limitMiB: number): MemoryWatch {
  let exceeded = false;
  let peakMiB = 0;
  let tree = [pid];
  let ticks = 0;
  const timer = setInterval(() => {
    // The tree settles once the test process has started; look for new members now and then.
    if (ticks++ % 10 === 0 || tree.length < 2) tree = processTree(pid);
    const sizes = tree.map(residentMiB).filter((s): s is number => s !== undefined);
    if (sizes.length === 0) return;
    const rss = sizes.reduce((a, b) => a + b, 0);
    peakMiB = Math.max(peakMiB, rss);
    if (rss > limitMiB && !exceeded) {
      exceeded = true;
      try {
        Deno.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }, WATCH_INTERVAL_MS);
  return {
    stop: () => clearInterval(timer),
    get exceeded() {
      return exceeded;
    },
    get peakMiB() {
      return peakMiB;
    },
  };
}
