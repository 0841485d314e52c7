/**
 * Reads the TAP stream of `deno test --reporter=tap`. The grader uses it because it is written
 * as tests finish (so a run stopped by a timeout or killed for memory still tells which tests
 * finished), it names each test's file, and Deno leaves the tested code's own output out of it,
 * so printed text cannot pose as a result.
 *
 * Deno's TAP flattens nested steps: every step of a top-level test appears one level deep, a
 * group after its members. {@linkcode parseTap} keeps that shape; `cases.ts` maps the entries
 * back to full test names.
 *
 * @example Usage
 * ```ts
 * import { parseTap } from "./tap.ts";
 * const report = parseTap("TAP version 14\n# ./a_test.ts\nok 1 - adds\n1..1\n");
 * console.log(report.entries); // [{ file: "./a_test.ts", top: "adds", name: "adds", step: false, status: "pass" }]
 * ```
 * @module
 */

/** One `ok` / `not ok` line. */
export interface TapEntry {
  /** The test module, relative to the working directory (e.g. `./katas/01-x/x_test.ts`). */
  file: string;
  /** The top-level test it belongs to. */
  top: string;
  /** Its own name (for a top-level test, the same as `top`). */
  name: string;
  /** True for a step (one level deep in Deno's TAP), false for a top-level test. */
  step: boolean;
  /** Outcome. */
  status: "pass" | "fail" | "skip";
  /** The error Deno reported, when failed. */
  message?: string;
}

/** What a TAP stream says. */
export interface TapReport {
  /** Results in the order they were reported. */
  entries: TapEntry[];
  /** Test modules whose tests started, in order. */
  files: string[];
  /** Tests running when the run was interrupted, each as its name path (`["suite", "step"]`). */
  pending: string[][];
  /** Why Deno gave up (`SIGINT received.`, `Deno.exit(0) called.`), if it did. */
  bailOut?: string;
  /** True when the stream reached its final plan line (the run finished). */
  finished: boolean;
}

const unescape = (name: string) => name.replace(/\\([\\#])/g, "$1");

/**
 * Parses Deno's TAP output.
 *
 * @example Usage
 * ```ts
 * import { parseTap } from "./tap.ts";
 * const tap = "# ./t.ts\n# Subtest: suite\n    ok 1 - a\n    not ok 2 - b\n" +
 *   '      ---\n      {"message":"Error: no"}\n      ...\n    1..2\nnot ok 1 - suite\n1..1\n';
 * console.log(parseTap(tap).entries[1]); // { file: "./t.ts", top: "suite", name: "b", step: true, status: "fail", message: "Error: no" }
 * ```
 * @param text The reporter's standard output.
 * @returns The entries, the modules, what was pending, and whether the run finished.
 */
export function parseTap(text: string): TapReport {
  const report: TapReport = { entries: [], files: [], pending: [], finished: false };
  let file = "";
  let top = "";
  let inYaml = false;
  let inPending = false;
  for (const line of text.split("\n")) {
    if (inYaml) {
      if (/^\s*\.\.\.$/.test(line)) inYaml = false;
      else if (line.trim().startsWith("{")) {
        const last = report.entries.at(-1);
        if (last) last.message = parseMessage(line.trim());
      }
      continue;
    }
    if (/^\s*---$/.test(line)) {
      inYaml = true;
      continue;
    }
    if (inPending) {
      const pending = /^(.*) => \S+$/.exec(line);
      if (pending) report.pending.push(pending[1].split(" ... ").map(unescape));
      continue;
    }
    let match;
    if ((match = /^# Subtest: (.*)$/.exec(line))) {
      top = unescape(match[1]);
    } else if ((match = /^# (.+)$/.exec(line))) {
      file = match[1];
      report.files.push(file);
    } else if ((match = /^(\s*)(ok|not ok) \d+ - (.*?)( # SKIP.*)?$/.exec(line))) {
      const step = match[1].length > 0;
      const name = unescape(match[3]);
      const status = match[4] ? "skip" : match[2] === "ok" ? "pass" : "fail";
      report.entries.push({ file, top: step ? top : name, name, step, status });
    } else if ((match = /^Bail out! (.*)$/.exec(line))) {
      report.bailOut = match[1];
    } else if (/The following tests were pending:$/.test(line)) {
      inPending = true;
    } else if (/^1\.\.\d+$/.test(line)) {
      report.finished = report.bailOut === undefined;
    }
  }
  return report;
}

function parseMessage(json: string): string | undefined {
  try {
    const value = JSON.parse(json);
    return typeof value?.message === "string" ? value.message : undefined;
  } catch {
    return undefined;
  }
}
