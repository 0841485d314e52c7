import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { answer, readData } from "./probe.ts";

describe("probe (hidden)", () => {
  it("answer is stable", () => assertEquals(answer(), answer(), "answer() twice"));
  it("data is exactly data", async () => assertEquals(await readData(), "data", "the secret expectation"));
});
