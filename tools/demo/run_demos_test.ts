import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join, resolve } from "node:path";
import { formatTable, parseDemoArgs, writeFigures } from "./run_demos.ts";
import { ROOT } from "../catalog/katas.ts";

describe("deno task demo", () => {
  it("parses names, --out (relative to the working directory) and --readme", () => {
    assertEquals(parseDemoArgs([]), { names: [], out: join(ROOT, "out"), readme: false });
    assertEquals(parseDemoArgs(["1", "input-scaling", "--out", "figs", "--readme"]), {
      names: ["1", "input-scaling"],
      out: resolve("figs"),
      readme: true,
    });
  });

  it("formats rows as an aligned table", () => {
    assertEquals(
      formatTable([{ run: "raw", accuracy: 0.25 }, { run: "scaled pixels", accuracy: 0.8 }]),
      [
        "| run           | accuracy |",
        "| ------------- | -------- |",
        "| raw           | 0.25     |",
        "| scaled pixels | 0.8      |",
      ].join("\n"),
    );
    assertEquals(formatTable([]), "");
  });

  it("writes each figure as NAME.svg in a folder it creates", async () => {
    const tmp = await Deno.makeTempDir();
    const dir = join(tmp, "01-input-scaling");
    const paths = await writeFigures([{ name: "loss", svg: "<svg/>" }, {
      name: "images",
      svg: "<svg></svg>",
    }], dir);
    assertEquals(paths, [join(dir, "loss.svg"), join(dir, "images.svg")]);
    assertEquals(await Deno.readTextFile(paths[1]), "<svg></svg>");
    await Deno.remove(tmp, { recursive: true });
  });
});
