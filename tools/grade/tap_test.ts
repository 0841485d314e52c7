import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { parseTap } from "./tap.ts";

/** What `deno test --reporter=tap` printed for a describe with a nested describe, then SIGINT. */
const interrupted = `TAP version 14
# ./hidden/b_test.ts
ok 1 - hidden \\# flat
not ok 2 - hidden flat 2
  ---
  {"message":"Error: secret 42\\n    at file:///t/hidden/b_test.ts:2:41","severity":"fail","at":{"file":"./hidden/b_test.ts","line":2}}
  ...
# ./a_test.ts
# Subtest: suite a
    ok 1 - passes
    ok 2 - deep pass
    not ok 3 - deep fail
      ---
      {"message":"Error: deep\\nproblem","severity":"fail","at":{"file":"./a_test.ts","line":86}}
      ...
    not ok 4 - inner
      ---
      {"message":"1 test step failed.","severity":"fail","at":{"file":"./a_test.ts","line":86}}
      ...
    ok 5 - ignored one # SKIP
Bail out! SIGINT received.

SIGINT The following tests were pending:

suite a ... slow => ../lib/std_compat/bdd.ts:86:15
suite a => ../lib/std_compat/bdd.ts:101:8

`;

describe("TAP parsing", () => {
  it("reads files, flattened steps, skips, messages, escapes and what was pending at SIGINT", () => {
    const report = parseTap(interrupted);
    assertEquals(report.files, ["./hidden/b_test.ts", "./a_test.ts"]);
    assertEquals(report.entries.map((e) => [e.file, e.top, e.name, e.step, e.status]), [
      ["./hidden/b_test.ts", "hidden # flat", "hidden # flat", false, "pass"],
      ["./hidden/b_test.ts", "hidden flat 2", "hidden flat 2", false, "fail"],
      ["./a_test.ts", "suite a", "passes", true, "pass"],
      ["./a_test.ts", "suite a", "deep pass", true, "pass"],
      ["./a_test.ts", "suite a", "deep fail", true, "fail"],
      ["./a_test.ts", "suite a", "inner", true, "fail"],
      ["./a_test.ts", "suite a", "ignored one", true, "skip"],
    ]);
    assertEquals(report.entries[4].message, "Error: deep\nproblem");
    assertEquals(report.pending, [["suite a", "slow"], ["suite a"]]);
    assertEquals(report.bailOut, "SIGINT received.");
    assertEquals(report.finished, false);
  });

  it("a run that ends with its plan finished; one that stopped without it did not", () => {
    assertEquals(parseTap("TAP version 14\n# ./t.ts\nok 1 - a\n1..1\n").finished, true);
    assertEquals(parseTap("TAP version 14\n# ./t.ts\nok 1 - a\n").finished, false);
    assertEquals(parseTap("1..0\n").entries, []);
  });
});
