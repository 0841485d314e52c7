import { assertEquals } from "./assert.ts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from "./bdd.ts";

const log: string[] = [];

describe("@std/testing/bdd compatibility: hook order", () => {
  beforeAll(() => void log.push("beforeAll"));
  afterAll(() => {
    log.push("afterAll");
    assertEquals(log, [
      "beforeAll",
      "beforeEach",
      "first",
      "afterEach",
      "beforeEach",
      "inner beforeEach",
      "nested",
      "inner afterEach",
      "afterEach",
      "afterAll",
    ]);
  });
  beforeEach(() => void log.push("beforeEach"));
  afterEach(() => void log.push("afterEach"));

  it("runs a test between the hooks", () => void log.push("first"));

  describe("nested", () => {
    beforeEach(() => void log.push("inner beforeEach"));
    afterEach(() => void log.push("inner afterEach"));
    it("runs outer hooks around inner ones", () => void log.push("nested"));
  });

  it.ignore("is skipped", () => {
    throw new Error("should not run");
  });
});

it("a top-level it is its own test", () => {
  assertEquals(1 + 1, 2);
});
