/**
 * Reads what `preload.ts` recorded in a graded run: each test's printed output, and the errors
 * that escaped the tests.
 *
 * @example Usage
 * ```ts ignore
 * import { readCaptured } from "./output.ts";
 * const captured = await readCaptured("/tmp/grade/scratch/.kata-output.jsonl");
 * console.log(captured.output.get("suite > step"));
 * ```
 * @module
 */

/** The most output characters reported per test, as Exercism's test-runner interface requires. */
export const OUTPUT_LIMIT = 500;

/** The most bytes read from the record file (graded code can write to it too). */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Exercism's wording for cut output. */
export const TRUNCATED = "\nOutput was truncated. Please limit to 500 chars";

/** What a run printed. */
export interface Captured {
  /** Printed text per full test name ("" for text printed while loading the modules). */
  output: Map<string, string>;
  /** Errors that escaped the tests, with the test that started last before each. */
  uncaught: { test: string; error: string }[];
}

/**
 * Parses the recorded JSON lines (malformed lines, which graded code could write, are skipped).
 *
 * @example Usage
 * ```ts
 * import { parseCaptured } from "./output.ts";
 * const text = '{"test":"a","text":"hi"}\n{"test":"a","text":"there"}\n{"uncaught":"Uncaught Error: x","test":"a"}\n';
 * const captured = parseCaptured(text);
 * console.log(captured.output.get("a"), captured.uncaught); // "hi\nthere" [{ test: "a", error: "Uncaught Error: x" }]
 * ```
 * @param text The file's content.
 * @returns The output per test and the escaped errors.
 */
export function parseCaptured(text: string): Captured {
  const output = new Map<string, string>();
  const uncaught: Captured["uncaught"] = [];
  for (const line of text.split("\n")) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    const test = typeof record?.test === "string" ? record.test : "";
    if (typeof record.uncaught === "string") uncaught.push({ test, error: record.uncaught });
    else if (typeof record.text === "string") {
      output.set(test, output.has(test) ? `${output.get(test)}\n${record.text}` : record.text);
    }
  }
  return { output, uncaught };
}

/**
 * Reads and parses the file; a missing file means nothing was printed.
 *
 * @example Usage
 * ```ts ignore
 * import { readCaptured } from "./output.ts";
 * const { uncaught } = await readCaptured("/tmp/x.jsonl");
 * ```
 * @param path The file `KATA_GRADE_OUTPUT` named.
 * @returns The output per test and the escaped errors.
 */
export async function readCaptured(path: string): Promise<Captured> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { output: new Map(), uncaught: [] };
    throw error;
  }
  const buffer = new Uint8Array(MAX_RECORD_BYTES);
  let length = 0;
  try {
    while (length < buffer.length) {
      const read = await file.read(buffer.subarray(length));
      if (read === null) break;
      length += read;
    }
  } finally {
    file.close();
  }
  return parseCaptured(new TextDecoder().decode(buffer.subarray(0, length)));
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
