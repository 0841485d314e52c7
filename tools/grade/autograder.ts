/**
 * Gradescope's autograder bundle for this course (`deno task autograder --out DIR`): `DIR/autograder.zip`
 * to upload, and `DIR/source/`, its content as Gradescope unpacks it to `/autograder/source`:
 *
 * - the course's `deno.json`, `deno.lock`, `katas/` (the published stubs and tests), `lib/`, `fixtures/`
 *   and `tools/` (tracked files when the course is a git checkout; never `solutions/` or the grader's
 *   test data), and the hidden tests in `hidden/` when given;
 * - `setup.sh` (run once while Gradescope builds the image): installs Deno from the npm registry (the
 *   `@deno/linux-*` package holding the binary, so Node.js serves only to download it), bubblewrap, the
 *   locked dependencies, then grades the stubs once to warm Deno's caches;
 * - `run_autograder` (run per submission): `deno task grade --submission /autograder/submission
 *   --gradescope /autograder/results/results.json` with the bundle's options, and a results.json saying
 *   so should the grader not write one. `AUTOGRADER_ROOT` (default `/autograder`) moves every path, to try
 *   the bundle on one's own machine.
 *
 * @example Usage
 * ```ts ignore
 * import { buildAutograder } from "./autograder.ts";
 * const { zip } = await buildAutograder({ root: ROOT, out: "out/autograder", extraTests: "../hidden" });
 * ```
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { type Zippable, zipSync } from "fflate";

/** The Deno version the bundle installs (the project's, see `.ci/run`). */
export const DENO_VERSION = "2.9.6";

/** What of the course goes into the bundle. */
export const BUNDLED = ["deno.json", "deno.lock", "katas", "lib", "fixtures", "tools"];

/** What never does (the grader's hostile test data). */
const LEFT_OUT = [/^tools\/grade\/testdata\//, /(^|\/)node_modules\//, /(^|\/)\.git\//, /(^|\/)out\//];

/** How the bundle grades. */
export interface AutograderOptions {
  /** The course repository. */
  root: string;
  /** The output folder. */
  out: string;
  /** Hidden tests, laid out like `katas/` (copied into the bundle's `hidden/`). */
  extraTests?: string;
  /** Katas to grade (numbers or slugs, as `deno task grade` takes them); default all. */
  katas?: string[];
  /** Seconds per kata. */
  timeoutSeconds?: number;
  /** Memory cap per kata process, MiB. */
  memoryMiB?: number;
}

/** What {@linkcode buildAutograder} wrote. */
export interface Autograder {
  /** The zip to upload. */
  zip: string;
  /** The unpacked bundle (what Gradescope puts in `/autograder/source`). */
  source: string;
  /** Files in the bundle. */
  files: number;
}

/** Quotes a word for bash. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The options `run_autograder` passes to `deno task grade`. */
function gradeArgs(options: AutograderOptions): string[] {
  return [
    ...(options.katas ?? []).flatMap((k) => ["--kata", k]),
    ...(options.extraTests ? ["--extra-tests", "hidden"] : []),
    ...(options.timeoutSeconds ? ["--timeout", String(options.timeoutSeconds)] : []),
    ...(options.memoryMiB ? ["--memory", String(options.memoryMiB)] : []),
  ];
}

/**
 * `setup.sh` of the bundle.
 *
 * @example Usage
 * ```ts
 * import { setupScript } from "./autograder.ts";
 * console.log(setupScript([]).includes("npm pack")); // true
 * ```
 * @param args The grading options (the warm-up grades the stubs with them).
 * @returns The script.
 */
export function setupScript(args: string[]): string {
  const options = args.map(shellWord).join(" ");
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu): Deno from the npm
# registry, bubblewrap, the course's locked dependencies, then one grading of the published stubs so that
# Deno's caches (the test lists, V8's compiled code) are warm for the first submission.
# DENO_BIN_DIR (default /usr/local/bin) is where the deno binary goes; AUTOGRADER_SKIP_WARMUP=1 skips the
# warm-up.
set -euo pipefail
cd "$(dirname "$0")"
DENO_VERSION="${DENO_VERSION}"
BIN_DIR="\${DENO_BIN_DIR:-/usr/local/bin}"
export PATH="$BIN_DIR:$PATH" NO_COLOR=1

missing=()
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if [ \${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ca-certificates "\${missing[@]}"
fi

# The binary comes in the npm package @deno/linux-<arch>-glibc: npm only downloads it.
if ! command -v deno >/dev/null 2>&1 || [ "$(deno --version | head -n1 | cut -d' ' -f2)" != "$DENO_VERSION" ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup.sh: no Deno build for $(uname -m)" >&2; exit 1 ;;
  esac
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "@deno/linux-\${arch}-glibc@\${DENO_VERSION}" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  mkdir -p "$BIN_DIR"
  install -m 755 "$work/package/deno" "$BIN_DIR/deno"
  rm -rf "$work"
fi
deno --version | head -n1

# Through the task launcher, which installs the locked dependencies and remembers it (no grading repeats it).
deno run -q -A tools/launch.ts grade --help >/dev/null
if [ "\${AUTOGRADER_SKIP_WARMUP:-}" != 1 ]; then
  warm="$(mktemp -d)"
  deno run -q -A tools/launch.ts grade --submission katas ${options} --json "$warm/r.json" --junit "$warm/j.xml" >/dev/null 2>&1 || true
  rm -rf "$warm"
fi
echo "setup.sh: ready"
`;
}

/**
 * `run_autograder` of the bundle.
 *
 * @example Usage
 * ```ts
 * import { runScript } from "./autograder.ts";
 * console.log(runScript(["--kata", "01"]).includes("--gradescope")); // true
 * ```
 * @param args The grading options.
 * @returns The script.
 */
export function runScript(args: string[]): string {
  const options = args.map(shellWord).join(" ");
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission, in /autograder: it grades /autograder/submission against the
# course's tests (deno task grade, README "For course staff") and writes /autograder/results/results.json
# in Gradescope's format; what it prints is the log staff see. AUTOGRADER_ROOT (default /autograder)
# moves every path, to try the bundle elsewhere; DENO_BIN_DIR as in setup.sh.
set -uo pipefail
root="\${AUTOGRADER_ROOT:-/autograder}"
results="$root/results"
mkdir -p "$results"
export PATH="\${DENO_BIN_DIR:-/usr/local/bin}:$PATH" NO_COLOR=1
cd "$root/source" || exit 1
rm -f "$results/results.json"
deno run -q -A tools/launch.ts grade --submission "$root/submission" ${options} \\
  --gradescope "$results/results.json" --json "$results/exercism_results.json" --junit "$results/junit.xml"
status=$?
if [ ! -s "$results/results.json" ]; then
  printf '{"score": 0, "output": "The autograder could not grade this submission (exit status %s); course staff can see why in its log.", "stdout_visibility": "hidden", "tests": []}\\n' "$status" >"$results/results.json"
fi
exit 0
`;
}

async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const out = await new Deno.Command("git", {
      args: ["-C", root, "ls-files", "-z", "--", ...BUNDLED],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!out.success) return undefined;
    const files = new TextDecoder().decode(out.stdout).split("\0").filter(Boolean);
    return files.length ? files : undefined;
  } catch {
    return undefined;
  }
}

async function walkFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (rel: string) => {
    const info = await Deno.lstat(join(root, rel)).catch(() => undefined);
    if (!info) return;
    if (info.isFile) files.push(rel);
    else if (info.isDirectory) {
      for await (const entry of Deno.readDir(join(root, rel))) {
        if (!entry.name.startsWith(".")) await walk(`${rel}/${entry.name}`);
      }
    }
  };
  for (const name of BUNDLED) await walk(name);
  return files;
}

async function treeFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (rel: string) => {
    for await (const entry of Deno.readDir(join(dir, rel))) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) files.push(path);
    }
  };
  await walk("");
  return files;
}

/**
 * Writes the bundle (see the module doc): `out/source/` and `out/autograder.zip`, replacing earlier ones.
 *
 * @example Usage
 * ```ts ignore
 * import { buildAutograder } from "./autograder.ts";
 * const bundle = await buildAutograder({ root: ROOT, out: "out/autograder", katas: ["01"] });
 * console.log(bundle.zip, bundle.files);
 * ```
 * @param options The course, the output folder and how to grade.
 * @returns Where the zip and the unpacked bundle are.
 */
export async function buildAutograder(options: AutograderOptions): Promise<Autograder> {
  const root = resolve(options.root);
  const out = resolve(options.out);
  const source = join(out, "source");
  const zip = join(out, "autograder.zip");
  await Deno.remove(source, { recursive: true }).catch(() => {});
  await Deno.remove(zip).catch(() => {});
  const course = ((await gitFiles(root)) ?? (await walkFiles(root))).filter((f) =>
    !LEFT_OUT.some((p) => p.test(f))
  );
  const entries: { path: string; data: Uint8Array; executable?: boolean }[] = [];
  for (const file of course) {
    const data = await Deno.readFile(join(root, file)).catch(() => undefined); // tracked but deleted: skipped
    if (data) entries.push({ path: file, data });
  }
  if (options.extraTests) {
    const hidden = resolve(options.extraTests);
    for (const file of await treeFiles(hidden)) {
      entries.push({ path: `hidden/${file}`, data: await Deno.readFile(join(hidden, file)) });
    }
  }
  const args = gradeArgs(options);
  const encoder = new TextEncoder();
  entries.push({ path: "setup.sh", data: encoder.encode(setupScript(args)), executable: true });
  entries.push({ path: "run_autograder", data: encoder.encode(runScript(args)), executable: true });
  const zippable: Zippable = {};
  const mtime = new Date("2000-01-01T00:00:00Z"); // the same bundle, byte for byte, from the same course
  for (const entry of entries.sort((a, b) => a.path < b.path ? -1 : 1)) {
    const path = join(source, entry.path);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeFile(path, entry.data, { mode: entry.executable ? 0o755 : 0o644 });
    if (entry.executable) await Deno.chmod(path, 0o755);
    const mode = 0o100000 | (entry.executable ? 0o755 : 0o644); // a regular file, and its permissions
    zippable[relative(source, path)] = [entry.data, { os: 3, attrs: (mode << 16) >>> 0, mtime }];
  }
  await Deno.writeFile(zip, zipSync(zippable, { level: 6 }));
  return { zip, source, files: entries.length };
}
