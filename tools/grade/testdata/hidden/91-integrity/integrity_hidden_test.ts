import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import cases from "./cases.json" with { type: "json" };
import { lookup } from "./integrity.ts";

describe("integrity (hidden)", () => {
  it("looks up a secret", async () => assertEquals(await lookup(cases.question), cases.answer, "the secret"));
});
