/**
 * `deno task autograder [--out DIR] [--extra-tests DIR] [--kata NAME…] [--timeout S] [--memory MIB]`:
 * builds Gradescope's autograder bundle for this course, `DIR/autograder.zip` (default `out/autograder`),
 * and its unpacked content in `DIR/source/` (see `tools/grade/autograder.ts` and README, "For course
 * staff").
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ROOT, selectKatas } from "../catalog/katas.ts";
import { buildAutograder } from "../grade/autograder.ts";

const USAGE =
  `usage: deno task autograder [--out DIR] [--extra-tests DIR] [--kata NAME…] [--timeout S] [--memory MIB]

  --out DIR          where to write autograder.zip and source/ (default out/autograder)
  --extra-tests DIR  hidden tests, laid out like katas/ (bundled; shown to students after publishing)
  --kata NAME        a kata to grade (repeatable; also as plain arguments); default: all
  --timeout S        wall-clock limit per kata in seconds
  --memory MIB       memory cap per kata process`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  Deno.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string", default: "out/autograder" },
      "extra-tests": { type: "string" },
      kata: { type: "string", multiple: true, default: [] },
      timeout: { type: "string" },
      memory: { type: "string" },
      root: { type: "string", default: ROOT },
      help: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const number = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) fail(`--${name} needs a positive number, got "${text}"`);
  return value;
};
const names = [...values.kata, ...positionals];
try {
  await selectKatas(names, values.root); // refuses an unknown kata now, not on Gradescope
} catch (error) {
  fail((error as Error).message);
}
if (values["extra-tests"] && !(await Deno.stat(values["extra-tests"]).catch(() => undefined))?.isDirectory) {
  fail(`--extra-tests: "${values["extra-tests"]}" is not a folder`);
}
const bundle = await buildAutograder({
  root: values.root,
  out: values.out,
  extraTests: values["extra-tests"],
  katas: names,
  timeoutSeconds: number("timeout", values.timeout),
  memoryMiB: number("memory", values.memory),
});
console.log(`${bundle.files} files\nupload: ${bundle.zip}\nunpacked: ${bundle.source}`);
console.log(
  `try it here: put a submission in ${values.out}/submission/, run ${bundle.source}/setup.sh once (or link ` +
    `this checkout's node_modules into it), then AUTOGRADER_ROOT=${values.out} ${bundle.source}/run_autograder`,
);
