/**
 * Builds the lab as a folder of static files: `index.html`, the page bundles (`app-reference.js` runs the
 * reference solutions; `app-mine.js`, on the development server, the learner's `katas/`), and the files the
 * bundles load at run time — tfjs's and onnxruntime-web's wasm under `wasm/`, the Fashion-MNIST subset and
 * the ONNX fixtures under `data/`. Every path is relative, so the folder works from any URL (GitHub Pages).
 *
 * The bundles come from `deno bundle --platform browser` over a generated entry that imports every kata's
 * `demo/NN-slug/experiment.ts`. The learner's bundle is the same entry with an import map that sends each
 * `solutions/NN-slug/<module>.ts` to `katas/NN-slug/<module>.ts`; it is type-checked first, and a learner's
 * code that does not build gives a bundle that shows the errors on the page.
 *
 * @example Usage
 * ```ts ignore
 * import { buildSite } from "./site.ts";
 * await buildSite("/tmp/lab", { codes: ["reference"] });
 * ```
 * @module
 */
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { isFile } from "@lib/core/fs.ts";
import { type Kata, listKatas, ROOT } from "../catalog/katas.ts";
import { formatSeeds, readCalibration, referenceRange } from "../catalog/calibration.ts";
import type { KataInfo } from "../../lab/app/page.ts";

/** Whose code a bundle runs. */
export type Code = "reference" | "mine";

/** The katas that have an experiment (`demo/NN-slug/experiment.ts`). */
export async function labKatas(root = ROOT): Promise<Kata[]> {
  const found: Kata[] = [];
  for (const kata of await listKatas(root)) {
    if (await isFile(join(root, "demo", kata.slug, "experiment.ts"))) found.push(kata);
  }
  return found;
}

/**
 * What a page knows about each kata: from its manifest and its calibration file.
 *
 * @example Usage
 * ```ts ignore
 * import { kataInfos, labKatas } from "./site.ts";
 * console.log((await kataInfos(await labKatas()))[0].ranges);
 * ```
 * @param katas The katas.
 * @returns One summary per kata.
 */
export async function kataInfos(katas: Kata[]): Promise<KataInfo[]> {
  return await Promise.all(katas.map(async (kata) => {
    const calibration = await readCalibration(kata.dir);
    const ranges: KataInfo["ranges"] = {};
    for (const label of Object.keys(calibration?.measures ?? {})) {
      const range = referenceRange(calibration!, label, true); // the page runs the default seed
      if (range) ranges[label] = { min: range.min, max: range.max };
    }
    return {
      id: kata.id,
      slug: kata.slug,
      title: kata.meta.title,
      question: kata.meta.question,
      ranges,
      seeds: calibration ? formatSeeds([...calibration.seeds, calibration.defaultSeed.seed]) : "—",
    };
  }));
}

/** The generated bundle entry: every experiment, the kata summaries, and how the page was built. */
function entrySource(root: string, katas: Kata[], infos: KataInfo[], code: Code, codes: Code[]): string {
  const url = (path: string) => pathToFileURL(join(root, path)).href;
  const imports = katas.map((k, i) =>
    `import { experiment as e${i} } from "${url(`demo/${k.slug}/experiment.ts`)}";`
  );
  const experiments = katas.map((k, i) => `${JSON.stringify(k.id)}: e${i}`).join(", ");
  return [
    `import { startLab } from "${url("lab/app/page.ts")}";`,
    ...imports,
    `await startLab({ katas: ${JSON.stringify(infos)}, experiments: { ${experiments} }, code: ${
      JSON.stringify(code)
    }, codes: ${JSON.stringify(codes)}, wasmPath: "./wasm/" });`,
    "",
  ].join("\n");
}

/** The import map that runs the learner's modules where the experiments import the reference's. */
async function learnerImportMap(root: string, katas: Kata[]): Promise<{ imports: Record<string, string> }> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const imports: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.imports as Record<string, string>)) {
    imports[key] = value.startsWith("./")
      ? pathToFileURL(join(root, value)).href + (value.endsWith("/") ? "/" : "")
      : value;
  }
  for (const kata of katas) {
    for (const module of kata.modules) {
      imports[pathToFileURL(join(root, "solutions", kata.slug, module)).href] =
        pathToFileURL(join(kata.dir, module))
          .href;
    }
  }
  return { imports };
}

/** A bundle that only shows why the learner's code did not build. */
function buildErrorBundle(message: string): string {
  return `document.body.dataset.status = "error";
document.body.dataset.error = ${JSON.stringify(message)};
const pre = document.createElement("pre");
pre.className = "error";
pre.textContent = "Your code does not build, so nothing runs:\\n\\n" + document.body.dataset.error;
document.body.replaceChildren(pre);
`;
}

async function deno(args: string[], root: string): Promise<{ ok: boolean; output: string }> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { ok: success, output: decode(stdout) + decode(stderr) };
}

/** Options for {@linkcode buildBundle} and {@linkcode buildSite}. */
export interface BuildOptions {
  /** The repository root (default: this repository). */
  root?: string;
  /** The bundles to build (default: the reference only). */
  codes?: Code[];
}

/**
 * Builds one page bundle into `out/app-<code>.js`. For the learner's code, a type or syntax error gives a
 * bundle that shows it instead.
 *
 * @example Usage
 * ```ts ignore
 * import { buildBundle } from "./site.ts";
 * const { ok, message } = await buildBundle("/tmp/lab", "mine", { codes: ["reference", "mine"] });
 * ```
 * @param out The site folder.
 * @param code Whose code.
 * @param options Root and the codes the site offers.
 * @returns Whether the code built, and the errors when not.
 */
export async function buildBundle(
  out: string,
  code: Code,
  options: BuildOptions = {},
): Promise<{ ok: boolean; message?: string }> {
  const root = options.root ?? ROOT;
  const katas = await labKatas(root);
  const work = await Deno.makeTempDir({ prefix: "ml-katas-lab-" });
  try {
    const entry = join(work, `entry-${code}.ts`);
    await Deno.writeTextFile(
      entry,
      entrySource(root, katas, await kataInfos(katas), code, options.codes ?? [code]),
    );
    const mapArgs: string[] = [];
    if (code === "mine") {
      const map = join(work, "import_map.json");
      await Deno.writeTextFile(map, JSON.stringify(await learnerImportMap(root, katas), null, 2));
      mapArgs.push(`--import-map=${map}`);
      const modules = katas.flatMap((k) => k.modules.map((m) => relative(root, join(k.dir, m))));
      const check = await deno(["check", ...modules], root);
      if (!check.ok) {
        const message = check.output.replace(/^Check .*\n/gm, "").trim();
        await Deno.writeTextFile(join(out, `app-${code}.js`), buildErrorBundle(message));
        return { ok: false, message };
      }
    }
    const bundled = await deno(
      ["bundle", "--quiet", "--platform", "browser", ...mapArgs, "-o", join(out, `app-${code}.js`), entry],
      root,
    );
    if (!bundled.ok) {
      if (code === "reference") throw new Error(`bundling the lab failed:\n${bundled.output}`);
      await Deno.writeTextFile(join(out, `app-${code}.js`), buildErrorBundle(bundled.output.trim()));
      return { ok: false, message: bundled.output.trim() };
    }
    return { ok: true };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** The files a page loads at run time, by their path in the site. */
function assets(root: string): Record<string, string> {
  const tfjs = join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
  const ort = join(root, "node_modules/onnxruntime-web/dist");
  const files: Record<string, string> = {};
  for (
    const name of [
      "tfjs-backend-wasm.wasm",
      "tfjs-backend-wasm-simd.wasm",
      "tfjs-backend-wasm-threaded-simd.wasm",
    ]
  ) {
    files[`wasm/${name}`] = join(tfjs, name);
  }
  // onnxruntime-web's browser build (ort.bundle.min.mjs, what a browser bundle of "onnxruntime-web"
  // resolves to) loads its JSEP variant, the one with WebGPU kernels; the plain files serve ort.min.mjs.
  for (
    const name of [
      "ort-wasm-simd-threaded.wasm",
      "ort-wasm-simd-threaded.mjs",
      "ort-wasm-simd-threaded.jsep.wasm",
      "ort-wasm-simd-threaded.jsep.mjs",
    ]
  ) {
    files[`wasm/${name}`] = join(ort, name);
  }
  return files;
}

/**
 * Copies every static file of the site (the page, the wasm files, the data) into `out`.
 *
 * @example Usage
 * ```ts ignore
 * import { copyAssets } from "./site.ts";
 * await copyAssets("/tmp/lab");
 * ```
 * @param out The site folder.
 * @param root The repository root.
 */
export async function copyAssets(out: string, root = ROOT): Promise<void> {
  await Deno.mkdir(join(out, "wasm"), { recursive: true });
  await Deno.mkdir(join(out, "data"), { recursive: true });
  await Deno.copyFile(join(root, "lab/index.html"), join(out, "index.html"));
  for (const [to, from] of Object.entries(assets(root))) {
    if (await isFile(from)) await Deno.copyFile(from, join(out, to));
  }
  for (const dir of ["fixtures/fashion-mnist-mini", "fixtures/models"]) {
    for await (const entry of Deno.readDir(join(root, dir))) {
      if (entry.isFile && /\.(gz|onnx)$/.test(entry.name)) {
        await Deno.copyFile(join(root, dir, entry.name), join(out, "data", entry.name));
      }
    }
  }
}

/**
 * Builds the whole static site into `out`.
 *
 * @example Usage
 * ```ts ignore
 * import { buildSite } from "./site.ts";
 * await buildSite("docs/lab");
 * ```
 * @param out The site folder (created).
 * @param options Root and the bundles to build.
 */
export async function buildSite(out: string, options: BuildOptions = {}): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await copyAssets(out, options.root);
  for (const code of options.codes ?? ["reference"]) await buildBundle(out, code, options);
}
