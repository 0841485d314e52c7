/**
 * The entry point of every `deno task`: makes sure the npm dependencies are installed — quietly, with one
 * line saying so, the first time and whenever `deno.lock` changes — then runs the task's module
 * (`tools/<task>.ts`) in this process, with the same arguments. It imports nothing from npm itself, so on a
 * fresh clone the learner sees one line instead of Deno's "Initialize …" list and build-script notice.
 *
 * `deno run -A tools/launch.ts kata 06 --step 2` is what `deno task kata 06 --step 2` runs.
 *
 * @example Usage
 * ```ts ignore
 * // deno.json: "kata": "deno run -A tools/launch.ts kata"
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MARKER = join(ROOT, "node_modules", ".ml-katas-installed");

async function lockDigest(): Promise<string> {
  const lock = await Deno.readFile(join(ROOT, "deno.lock"));
  const digest = await crypto.subtle.digest("SHA-256", lock);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Installs the locked dependencies unless the marker says this lockfile's are installed already. */
async function ensureDependencies(): Promise<void> {
  const digest = await lockDigest();
  const installed = await Deno.readTextFile(MARKER).catch(() => "");
  if (installed.trim() === digest) return;
  console.error("Installing the npm dependencies listed in deno.lock (first run: about a minute)…");
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["install", "--frozen", "--quiet"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    console.error(`${decode(stdout)}${decode(stderr)}\nInstalling the dependencies failed (above).`);
    console.error("Check the network access to the npm registry, then run the task again.");
    Deno.exit(1);
  }
  await Deno.writeTextFile(MARKER, `${digest}\n`);
}

const [task] = Deno.args;
if (!task || !/^[a-z_]+$/.test(task)) {
  console.error("usage: deno run -A tools/launch.ts TASK [ARGS…] (deno.json's tasks call it)");
  Deno.exit(2);
}
await ensureDependencies();
// The task's module reads its own arguments: drop the task name.
Deno.args.splice(0, 1);
await import(new URL(`./tasks/${task}.ts`, import.meta.url).href);
