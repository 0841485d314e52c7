/**
 * A resident-memory watchdog for a graded test process. V8's heap limit
 * (`--max-old-space-size`) does not cover typed arrays or WebAssembly memory, so a submission
 * filling `Uint8Array`s would otherwise take the machine's memory. On Linux the watchdog reads
 * `/proc/<pid>/status` a few times a second and kills the process group when its resident set
 * passes the limit; elsewhere it does nothing (the heap limit still applies).
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
 * Watches `pid` and SIGKILLs its process group (`-pid`) when its resident memory passes `limitMiB`.
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
  const timer = setInterval(() => {
    const rss = residentMiB(pid);
    if (rss === undefined) return;
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
