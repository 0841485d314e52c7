import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { makeMiniRepo, MINI_SOLUTIONS } from "../testing/mini_repo.ts";
import { type KataResult, runKata } from "./run_kata.ts";

const TYPE_ERROR =
  'export function triple(x: number): number {\n  const n: number = "x";\n  return n * x;\n}\n';
const SYNTAX_ERROR = "export function triple(x: number): number {\n  return 3 * x\n";
const THROW_AT_IMPORT =
  'throw new Error("triple.ts refuses to load");\nexport const triple = (x: number) => 3 * x;\n';

/** Runs the mini kata with `triple.ts` replaced (and `double.ts` solved) and returns the run. */
async function runWithTriple(triple: string, step?: number): Promise<KataResult> {
  const repo = await makeMiniRepo({ "double.ts": MINI_SOLUTIONS["double.ts"], "triple.ts": triple });
  try {
    return await runKata(repo.kata, { root: repo.root, step });
  } finally {
    await repo.remove();
  }
}

const statuses = (r: KataResult) =>
  r.cases.map((c) => `${c.step} ${c.status}${c.cause ? ` ${c.cause}` : ""}`);

describe("the runner accounts for every test of the census", () => {
  it("the reference passes every test, reports its measurements and what a test printed", async () => {
    const repo = await makeMiniRepo(MINI_SOLUTIONS);
    try {
      const result = await runKata(repo.kata, { root: repo.root });
      assertEquals(statuses(result), ["1 pass", "1 pass", "1 pass", "2 pass", "2 pass"]);
      assertEquals(result.measures, [{ label: "twice three", value: 6 }]);
      assertEquals(result.cases.at(-1)?.output, "tripling 5");
    } finally {
      await repo.remove();
    }
  });

  it("a type error fails every test of the files it reaches, counted, with the compiler's message once", async () => {
    const result = await runWithTriple(TYPE_ERROR);
    assertEquals(statuses(result), ["1 pass", "1 pass", "1 pass", "2 fail compile", "2 fail compile"]);
    assert(result.compileErrors?.includes("TS2322"), `compiler message expected:\n${result.compileErrors}`);
    assert(result.compileErrors?.includes("katas/99-mini/triple.ts"), result.compileErrors);
  });

  it("a syntax error counts the same way", async () => {
    const result = await runWithTriple(SYNTAX_ERROR);
    assertEquals(statuses(result), ["1 pass", "1 pass", "1 pass", "2 fail compile", "2 fail compile"]);
    assert(result.compileErrors && result.compileErrors.length > 0);
  });

  it("a throw at import fails every test of its file, with the error", async () => {
    const result = await runWithTriple(THROW_AT_IMPORT);
    assertEquals(statuses(result), ["1 pass", "1 pass", "1 pass", "2 fail load", "2 fail load"]);
    assert(result.cases[3].message?.includes("triple.ts refuses to load"), result.cases[3].message);
  });

  it("--step runs only that step's tests", async () => {
    const result = await runWithTriple(MINI_SOLUTIONS["triple.ts"], 2);
    assertEquals(statuses(result), ["2 pass", "2 pass"]);
    assertEquals(result.step, 2);
  });

  it("an assertion failure keeps the message and the frames in the kata's files", async () => {
    const result = await runWithTriple("export function triple(x: number): number {\n  return 2 * x;\n}\n");
    const failed = result.cases.find((c) => c.name.endsWith("triples 2"))!;
    assertEquals(failed.cause, "test");
    assert(failed.message?.startsWith("AssertionError: Values are not equal"), failed.message);
    assert(failed.message?.includes("katas/99-mini/triple_test.ts"), failed.message);
    assert(!failed.message?.includes("std_compat"), `no frames of the assertion library:\n${failed.message}`);
  });
});
