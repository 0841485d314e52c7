/**
 * `deno task test`: the project's own checks, in order — formatting, lint, type-check, the
 * GitHub Actions workflows (against GitHub's schema, `tools/ci/workflows.ts`), the unit tests and
 * JSDoc examples of `lib/` and `tools/` (`deno test --doc`), and `verify` (every kata red on its
 * stub, green on its solution). Ends with the line
 * `tests: N passed, M failed` and exits 1 when anything failed.
 *
 * @module
 */
import { join } from "node:path";
import { listKatas, ROOT } from "../catalog/katas.ts";
import { parseJUnit } from "../runner/run_tests.ts";
import { verifyKatas } from "../runner/verify_runs.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";
import { lintWorkflows } from "../ci/workflows.ts";

async function deno(args: string[]): Promise<boolean> {
  console.log(`\n$ deno ${args.join(" ")}`);
  const { success } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  return success;
}

const results: { check: string; ok: boolean }[] = [];
let passed = 0;
let failed = 0;
for (
  const [check, args] of [
    ["fmt", ["fmt", "--check"]],
    ["lint", ["lint"]],
    ["type-check", ["check", "."]],
  ] as const
) {
  const ok = await deno([...args]);
  results.push({ check, ok });
  ok ? passed++ : failed++;
}

console.log("\n$ action-validator .github/workflows/*.yml");
const workflows = await lintWorkflows();
for (const { file, problems } of workflows) {
  console.log(problems.length ? `${file}:\n  ${problems.join("\n  ")}` : `${file}: valid`);
}
const workflowsOk = workflows.every((w) => w.problems.length === 0);
results.push({ check: `workflows (${workflows.length})`, ok: workflowsOk });
workflowsOk ? passed++ : failed++;

const tmp = await Deno.makeTempDir({ prefix: "ml-katas-check-" });
const junit = join(tmp, "lib.xml");
const unitOk = await deno(["test", "-A", "--doc", `--junit-path=${junit}`, "lib/", "tools/", "demo/"]);
const unitCases = parseJUnit(await Deno.readTextFile(junit).catch(() => ""));
const unitFailed = unitCases.filter((c) => c.status === "fail").length;
passed += unitCases.filter((c) => c.status === "pass").length;
failed += unitFailed + (unitOk || unitFailed > 0 ? 0 : 1);
results.push({ check: `lib, tools and demo tests (${unitCases.length})`, ok: unitOk });
await Deno.remove(tmp, { recursive: true });

console.log("\n$ deno task verify");
const verify = await verifyKatas(await listKatas(), { wholeRepository: true });
console.log(verify.table);
if (verify.problems.length) console.log(`\n${verify.problems.join("\n")}`);
passed += verify.held;
failed += verify.broken;
results.push({
  check: `verify (${verify.held + verify.broken} kata tests)`,
  ok: verify.problems.length === 0,
});

console.log(`\n${markdownTable(["check", "result"], results.map((r) => [r.check, r.ok ? "ok" : "FAILED"]))}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
Deno.exit(results.every((r) => r.ok) ? 0 : 1);
