import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { makeMiniCheckout, MINI_SOLUTIONS, type MiniRepo } from "../testing/mini_repo.ts";

const BROKEN: Record<string, string> = {
  "a type error":
    'export function triple(x: number): number {\n  const n: number = "x";\n  return n * x;\n}\n',
  "a syntax error": "export function triple(x: number): number {\n  return 3 * x\n",
  "a throw at import": 'throw new Error("no");\nexport const triple = (x: number) => 3 * x;\n',
};

/** Runs a task's entry point in the checkout, output piped (not a terminal) and colours not disabled. */
async function task(checkout: MiniRepo, ...args: string[]): Promise<{ code: number; text: string }> {
  const env = { ...Deno.env.toObject() };
  delete env.NO_COLOR;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: checkout.root,
    env,
    clearEnv: true,
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, text: decode(stdout) + decode(stderr) };
}

for (const [what, triple] of Object.entries(BROKEN)) {
  describe(`learner tasks on a kata with ${what} in one module`, () => {
    it("kata counts that file's tests as failed and exits 1; start, grade and a one-step run agree", async () => {
      const checkout = await makeMiniCheckout({
        "double.ts": MINI_SOLUTIONS["double.ts"],
        "triple.ts": triple,
      });
      try {
        const kata = await task(checkout, "tools/tasks/kata.ts", "99");
        assertEquals(kata.code, 1, kata.text);
        assertStringIncludes(kata.text, "99-mini: 3/5 tests pass");
        assert(!kata.text.includes("\x1b["), `piped output must carry no escape codes:\n${kata.text}`);
        const step1 = await task(checkout, "tools/tasks/kata.ts", "99", "--step", "1");
        assertEquals(step1.code, 0, step1.text);
        assertStringIncludes(step1.text, "99-mini: 3/3 tests pass");
        const start = await task(checkout, "tools/tasks/start.ts");
        assertStringIncludes(start.text, `| 99 | Mini | error: `);
        assertStringIncludes(start.text, "(3/5) | 1/2 | 6/10 |");
        const graded = await task(checkout, "tools/tasks/grade.ts", "99", "--isolation", "permissions");
        const results = JSON.parse(await Deno.readTextFile(`${checkout.root}/out/grade/results.json`));
        const [grade] = results.katas;
        assertEquals([grade.tests_passed, grade.tests_total, grade.points], [3, 5, 6], graded.text);
      } finally {
        await checkout.remove();
      }
    });
  });
}

describe("learner tasks on the reference", () => {
  it("solutions passes every test and prints the lesson report without any setting", async () => {
    const checkout = await makeMiniCheckout(MINI_SOLUTIONS);
    try {
      const run = await task(checkout, "tools/tasks/solutions.ts", "99");
      assertEquals(run.code, 0, run.text);
      assertStringIncludes(run.text, "99-mini: 5/5 tests pass");
      assertStringIncludes(run.text, "twice three");
    } finally {
      await checkout.remove();
    }
  });
});
