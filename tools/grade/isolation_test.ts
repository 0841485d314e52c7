import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { ROOT } from "../catalog/katas.ts";
import {
  bwrapArgs,
  detectIsolation,
  type Isolation,
  privateDenoDir,
  SANDBOX_UID,
  type SandboxPlan,
} from "./isolation.ts";
import { runSandboxed } from "./process.ts";
import { sandboxEnv } from "./sandbox.ts";

const bubblewrap = await detectIsolation("auto");
const permissions = await detectIsolation("permissions");
/** The checks that need bubblewrap run where it works (CI installs it: .ci/run). */
const withBubblewrap = bubblewrap.mode === "bubblewrap" ? it : it.ignore;

Deno.env.set("ML_KATAS_ISOLATION_TOKEN", "token-31c4");

/** Runs `deno eval code` with every Deno permission, sandboxed as a graded test run is. */
async function look(isolation: Isolation, code: string): Promise<Record<string, unknown>> {
  const work = await Deno.makeTempDir({ prefix: "ml-katas-isolation-test-" });
  try {
    const scratch = join(work, "scratch");
    await Deno.mkdir(scratch);
    const plan: SandboxPlan = {
      cwd: ROOT,
      readOnly: [join(ROOT, "lib")],
      readWrite: [],
      scratch,
      denoDir: "private",
      env: sandboxEnv({ denoDir: await privateDenoDir(isolation, work), scratch }),
    };
    const run = await runSandboxed({
      isolation,
      plan,
      args: ["eval", "-A", "--no-check", code],
      seconds: 30,
    });
    if (run.code !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

const exists = `(path) => { try { Deno.statSync(path); return true; } catch { return false; } }`;

describe("isolation", () => {
  withBubblewrap(
    "bubblewrap shows only the folders a run needs, no network, nobody's uid, a cleared environment",
    async () => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      try {
        const port = (listener.addr as Deno.NetAddr).port;
        const seen = await look(
          bubblewrap,
          `const exists = ${exists};
        let reached = true;
        try { (await Deno.connect({ hostname: "127.0.0.1", port: ${port} })).close(); } catch { reached = false; }
        console.log(JSON.stringify({
          etc: exists("/etc/passwd"), solutions: exists(${JSON.stringify(join(ROOT, "solutions"))}),
          lib: exists(${JSON.stringify(join(ROOT, "lib"))}), home: exists(${
            JSON.stringify(Deno.env.get("HOME") ?? "/root")
          } + "/.bashrc"),
          uid: Deno.uid(), reached, env: Deno.env.toObject(), environ: Deno.readTextFileSync("/proc/self/environ"),
          interfaces: Deno.networkInterfaces().map((i) => i.name),
        }));`,
        );
        assertEquals([seen.etc, seen.solutions, seen.lib, seen.home], [false, false, true, false]);
        assertEquals(seen.uid, SANDBOX_UID);
        assertEquals(seen.reached, false, "the host's loopback is not reachable");
        assertEquals([...new Set(seen.interfaces as string[])], ["lo"]);
        assert(!JSON.stringify(seen.env).includes("token-31c4"));
        assert(!(seen.environ as string).includes("token-31c4"));
      } finally {
        listener.close();
      }
    },
  );

  for (const isolation of [bubblewrap, permissions]) {
    it(`location data (localStorage, the Cache API) is private to each run (${isolation.mode})`, async () => {
      const code = `const before = [localStorage.getItem("k"), await caches.has("c")];
        localStorage.setItem("k", "v"); await caches.open("c");
        console.log(JSON.stringify({ before }));`;
      assertEquals(await look(isolation, code), { before: [null, false] });
      assertEquals(await look(isolation, code), { before: [null, false] });
    });

    it(`the environment is cleared (${isolation.mode})`, async () => {
      const seen = await look(isolation, `console.log(JSON.stringify(Deno.env.toObject()));`);
      assertEquals(seen.ML_KATAS_ISOLATION_TOKEN, undefined);
      assertEquals(seen.NO_COLOR, "1");
    });
  }

  it("bubblewrap's arguments mount read-only, keep the working folder and end with the command", () => {
    const isolation = { mode: "bubblewrap" as const, bwrap: "bwrap", runtime: ["/bin/deno"], denoDir: "/c" };
    const plan = {
      cwd: "/r",
      readOnly: ["/r/lib"],
      readWrite: ["/w"],
      scratch: "/s",
      denoDir: "private" as const,
      env: {},
    };
    const args = bwrapArgs(isolation, plan, ["/bin/deno", "test"], ["npm", "location_data"]).join(" ");
    for (
      const part of [
        "--unshare-all",
        "--unshare-user",
        "--clearenv",
        "--die-with-parent",
        "--ro-bind-try /r/lib /r/lib",
      ]
    ) {
      assert(args.includes(part), part);
    }
    assert(args.includes("--tmpfs /c --ro-bind-try /c/npm /c/npm"));
    assert(!args.includes("location_data"));
    assert(args.endsWith("--chdir /r -- /bin/deno test"));
  });
});
