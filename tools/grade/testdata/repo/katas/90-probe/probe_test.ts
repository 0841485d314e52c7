import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { measured } from "@lib/testing/measure.ts";
import { answer, fetchData, loadNative, readData, setting, spawn, writeScratch } from "./probe.ts";

describe("probe", () => {
  // The measurement feeds the grader's leaderboard (a challenge metric): informational, never points.
  it("answers 42", () => assertEquals(measured("challenge: answer", answer()), 42, "answer()"));
  it("reads data", async () => assertEquals(await readData(), "data", "readData()"));
  it("writes scratch", async () => assertEquals(await writeScratch(), "written", "writeScratch()"));
  it("fetches", async () => assertEquals(await fetchData(), "fetched", "fetchData()"));
  it("spawns", async () => assertEquals(await spawn(), "spawned", "spawn()"));
  it("reads a setting", () => assertEquals(setting(), "unset", "setting()"));
  it("loads native code", () => assertEquals(loadNative(), "loaded", "loadNative()"));
});
