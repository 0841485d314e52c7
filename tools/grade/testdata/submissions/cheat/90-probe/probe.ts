// Wrong answers, plus tests of its own to collect points and an attempt to replace the runner.
import { describe, it } from "@std/testing/bdd";

Deno.test("free points", () => {});
describe("probe", () => {
  it("answers 42", () => {});
  it("reads data", () => {});
});
try {
  (Deno as { test: unknown }).test = () => {};
} catch {
  // read-only in the grader
}

export const answer = () => 41;
export const readData = () => Promise.resolve("nothing");
export const writeScratch = () => Promise.resolve("nothing");
export const fetchData = () => Promise.resolve("nothing");
export const spawn = () => Promise.resolve("nothing");
export const setting = () => "nothing";
export const loadNative = () => "nothing";
