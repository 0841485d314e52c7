import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { BLOCKED_PREFIX, guardImportMap, localTargets } from "./import_guard.ts";

describe("import guard", () => {
  const map = {
    imports: {
      "@lib/": "file:///r/lib/",
      "@std/assert": "file:///std/assert.ts",
      "@tensorflow/tfjs": "npm:@tensorflow/tfjs@4.22.0",
      "file:///r/katas/01-x/x.ts": "file:///staged/01-x/x.ts",
      "file:///hidden/01-x/x.ts": "file:///staged/01-x/x.ts",
    },
  };
  const guarded = guardImportMap(map, {
    dirs: ["/r/lib", "/r/katas/01-x", "/staged/01-x"],
    files: ["/r/tools/preload.ts", "/hidden/01-x/x_test.ts"],
    privateDirs: ["/hidden/01-x"],
  });

  it("sends every file: URL to a folder that does not exist, except the allowed folders and files", () => {
    assertEquals(guarded.imports["file:///"], BLOCKED_PREFIX);
    assertEquals(guarded.imports["file:///r/lib/"], "file:///r/lib/");
    assertEquals(guarded.imports["file:///r/tools/preload.ts"], "file:///r/tools/preload.ts");
    assertEquals(guarded.imports["file:///hidden/01-x/x_test.ts"], "file:///hidden/01-x/x_test.ts");
    assertEquals(guarded.imports["file:///hidden/01-x/"], undefined, "the hidden folder is not open to all");
    assertEquals(guarded.imports["@lib/"], "file:///r/lib/", "the map's own entries stay");
  });

  it("lets a private folder's modules load its files, and keeps their imports of the learner's module", () => {
    assertEquals(guarded.scopes["file:///hidden/01-x/"], {
      "file:///hidden/01-x/": "file:///hidden/01-x/",
      "file:///hidden/01-x/x.ts": "file:///staged/01-x/x.ts",
    });
  });

  it("lists the local folders a map points to", () => {
    assertEquals(localTargets(map), ["/r/lib", "/std", "/staged/01-x"]);
  });
});
