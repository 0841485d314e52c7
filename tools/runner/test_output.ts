/**
 * Reads what one `deno test` process printed with the default ("pretty") reporter and colours off: the
 * text each test printed (Deno frames it between `------- output -------` and `----- output end -----`
 * under the test that printed it), the measurements the tests reported with `measured()` (JSON lines
 * `{"measure": label, "value": v}`), and the errors of modules that failed to load.
 *
 * @example Usage
 * ```ts
 * import { parseTestOutput } from "./test_output.ts";
 * const text = "suite ...\n  step ...\n------- output -------\nhello\n" +
 *   '{"measure":"accuracy","value":0.8,"seed":42}\n----- output end -----\n  step ... ok (1ms)\n';
 * const parsed = parseTestOutput(text);
 * console.log(parsed.output.get("suite > step"), parsed.measures); // "hello" [{ label: "accuracy", value: 0.8 }]
 * ```
 * @module
 */

/** One measurement a test reported. */
export interface Measure {
  /** What was measured, stable across seeds. */
  label: string;
  /** The value. */
  value: number;
}

/** What {@linkcode parseTestOutput} found. */
export interface TestOutput {
  /** Printed text per full test name (`suite > step`), measurement lines left out. */
  output: Map<string, string>;
  /** Measurements, in the order they were reported. */
  measures: Measure[];
}

/**
 * The measurement a line reports, if it is one.
 *
 * @example Usage
 * ```ts
 * import { measureOf } from "./test_output.ts";
 * console.log(measureOf('{"measure":"R²","value":0.5,"seed":1}')); // { label: "R²", value: 0.5 }
 * console.log(measureOf("plain text")); // undefined
 * ```
 * @param line One line of output.
 * @returns The measurement, or `undefined`.
 */
export function measureOf(line: string): Measure | undefined {
  const start = line.indexOf('{"measure"');
  if (start < 0) return undefined;
  try {
    const { measure, value } = JSON.parse(line.slice(start));
    return typeof measure === "string" && typeof value === "number" ? { label: measure, value } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a test process's output into per-test printed text and measurements.
 *
 * @example Usage
 * ```ts
 * import { parseTestOutput } from "./test_output.ts";
 * console.log(parseTestOutput('{"measure":"a","value":1}\n').measures); // [{ label: "a", value: 1 }]
 * ```
 * @param text Standard output and standard error of the process.
 * @returns The output per test and the measurements.
 */
export function parseTestOutput(text: string): TestOutput {
  const output = new Map<string, string>();
  const measures: Measure[] = [];
  const path: string[] = []; // the test path by indentation level (two spaces per level)
  let inBlock = false;
  let block: string[] = [];
  for (const line of text.split("\n")) {
    const measure = measureOf(line);
    if (measure) {
      measures.push(measure);
      continue;
    }
    if (line === "------- output -------" || line === "------- post-test output -------") {
      inBlock = true;
      block = [];
      continue;
    }
    if (inBlock) {
      if (line === "----- output end -----" || line === "----- post-test output end -----") {
        inBlock = false;
        const name = path.join(" > ");
        const text = block.join("\n").trim();
        if (text) output.set(name, output.has(name) ? `${output.get(name)}\n${text}` : text);
      } else block.push(line);
      continue;
    }
    const started = /^( *)(.+?) \.\.\.(?: .*)?$/.exec(line);
    if (started && !/^running \d+ tests? from /.test(line)) {
      const depth = started[1].length / 2;
      path.length = depth;
      path[depth] = started[2];
    }
  }
  return { output, measures };
}
