import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { answer, fetchData, loadNative, readData, setting, spawn, writeScratch } from "./probe.ts";

describe("probe", () => {
  it("answers 42", () => assertEquals(answer(), 42, "answer()"));
  it("reads data", async () => assertEquals(await readData(), "data", "readData()"));
  it("writes scratch", async () => assertEquals(await writeScratch(), "written", "writeScratch()"));
  it("fetches", async () => assertEquals(await fetchData(), "fetched", "fetchData()"));
  it("spawns", async () => assertEquals(await spawn(), "spawned", "spawn()"));
  it("reads a setting", () => assertEquals(setting(), "unset", "setting()"));
  it("loads native code", () => assertEquals(loadNative(), "loaded", "loadNative()"));
});
