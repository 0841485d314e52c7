/**
 * Reads what `preload.ts` recorded in a graded run: each test's printed output, the errors
 * that escaped the tests, and `Deno.exit()` calls. Only the preload can write the record
 * (it revokes write access to the record's folder before any graded module loads), so what it
 * says about the run is the preload's word, not the submission's.
 *
 * @example Usage
 * ```ts
 * import { parseCaptured } from "./output.ts";
 * const captured = parseCaptured('{"test":"suite > step","text":"hi"}\n');
 * console.log(captured.output.get("suite > step")); // "hi"
 * ```
 * @module
 */

/** The most output characters reported per test, as Exercism's test-runner interface requires. */
export const OUTPUT_LIMIT = 500;

/** The most bytes the preload writes to the record, and the grader reads. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Exercism's wording for cut output. */
export const TRUNCATED = "\nOutput was truncated. Please limit to 500 chars";

/** A `Deno.exit()` call the preload saw. */
export interface ExitCall {
  /** The exit code. */
  code: number;
  /** The test running ("" while the modules loaded). */
  test: string;
  /** The stack frame of the call, when known. */
  at: string;
}

/** A measurement a test reported (`lib/testing/measure.ts`): informational, never points. */
export interface Measure {
  /** What was measured, e.g. `challenge: validation accuracy`. */
  label: string;
  /** The value. */
  value: number;
}

/** What a run printed. */
export interface Captured {
  /** Printed text per full test name ("" for text printed while loading the modules). */
  output: Map<string, string>;
  /** Measurements per full test name, in the order reported. */
  measures: Map<string, Measure[]>;
  /** Errors that escaped the tests, with the test that started last before each. */
  uncaught: { test: string; error: string }[];
  /** `Deno.exit()` calls, in order. */
  exits: ExitCall[];
}

/**
 * Parses the recorded JSON lines (malformed lines are skipped).
 *
 * @example Usage
 * ```ts
 * import { parseCaptured } from "./output.ts";
 * const text = '{"test":"a","text":"hi"}\n{"test":"a","text":"there"}\n{"uncaught":"Uncaught Error: x","test":"a"}\n' +
 *   '{"exit":0,"test":"","at":"file:///s/x.ts:1:6"}\n{"test":"a","measure":"challenge: accuracy","value":0.9}\n';
 * const captured = parseCaptured(text);
 * console.log(captured.output.get("a"), captured.uncaught, captured.exits, captured.measures.get("a"));
 * // "hi\nthere" [{ test: "a", error: "Uncaught Error: x" }] [{ code: 0, test: "", at: "file:///s/x.ts:1:6" }]
 * // [{ label: "challenge: accuracy", value: 0.9 }]
 * ```
 * @param text The file's content.
 * @returns The output and measurements per test, the escaped errors and the exits.
 */
export function parseCaptured(text: string): Captured {
  const output = new Map<string, string>();
  const measures = new Map<string, Measure[]>();
  const uncaught: Captured["uncaught"] = [];
  const exits: ExitCall[] = [];
  for (const line of text.split("\n")) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof record !== "object" || record === null) continue;
    const test = typeof record.test === "string" ? record.test : "";
    if (typeof record.uncaught === "string") uncaught.push({ test, error: record.uncaught });
    else if (typeof record.exit === "number") {
      exits.push({ code: record.exit, test, at: typeof record.at === "string" ? record.at : "" });
    } else if (typeof record.measure === "string" && typeof record.value === "number") {
      measures.set(test, [...measures.get(test) ?? [], { label: record.measure, value: record.value }]);
    } else if (typeof record.text === "string") {
      output.set(test, output.has(test) ? `${output.get(test)}\n${record.text}` : record.text);
    }
  }
  return { output, measures, uncaught, exits };
}

/**
 * Cuts output to {@linkcode OUTPUT_LIMIT} characters, saying so.
 *
 * @example Usage
 * ```ts
 * import { truncateOutput } from "./output.ts";
 * console.log(truncateOutput("x".repeat(600)).length); // 500 + the notice
 * ```
 * @param text Printed text.
 * @returns At most 500 characters of it, plus the notice when cut.
 */
export function truncateOutput(text: string): string {
  return text.length <= OUTPUT_LIMIT ? text : text.slice(0, OUTPUT_LIMIT) + TRUNCATED;
}
