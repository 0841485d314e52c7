import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { cp } from "node:fs/promises";
import { type Browser, chromium, type Page } from "playwright-core";
import { ROOT } from "../catalog/katas.ts";
import { once } from "@lib/testing/once.ts";
import { isFile } from "@lib/core/fs.ts";
import { serveFile, serveLab } from "./server.ts";
import { buildBundle, kataInfos, labKatas } from "./site.ts";

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** A software WebGPU adapter (vendor google, architecture swiftshader): enough to run the WebGPU path. */
const WEBGPU_FLAGS = [...FLAGS, "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader"];
/** Where the tests leave each kata page's screenshot and timings. */
const OUT = join(ROOT, "out", "lab");

const lab = once(() => serveLab({ port: 0, log: () => {} }));
const browsers = new Map<string, Promise<Browser>>();
const browser = (flags: string[]) => {
  const key = flags.join(" ");
  if (!browsers.has(key)) browsers.set(key, chromium.launch({ executablePath: CHROMIUM, args: flags }));
  return browsers.get(key)!;
};

/** Opens a lab URL, waits for the experiment to end, and returns the page with its console errors. */
async function runPage(flags: string[], query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser(flags)).newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${(await lab()).url}?${query}`);
  await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset.status ?? ""), null, {
    timeout: 240_000,
  });
  return { page, errors };
}

const dataset = (page: Page) => page.evaluate(() => ({ ...document.body.dataset }));

const katas = await labKatas();
const infos = await kataInfos(katas);
/** Kata 06: the experiment the WebGPU and learner's-code tests run. */
const kata06 = infos.find((i) => i.id === "06")!;
/**
 * Knob settings the tests run each kata with (`&name=value`): small ones that still have the tests' setup,
 * so the readings carry reference ranges.
 */
const TEST_SETTINGS: Record<string, string> = {
  "02": "&variant=pca",
  "04": "&models=both&k=20",
};

/**
 * `LAB_KATAS=02,03` runs only those katas' page tests (the other tests still run): `--filter` cannot pick one
 * out, they are steps of one `describe`.
 */
const ONLY = Deno.env.get("LAB_KATAS")?.split(",").map((id) => id.trim());

describe("the lab in Chromium", () => {
  it("Chromium is installed (apt-get install chromium; .ci/run installs it)", async () => {
    assert(await isFile(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  });

  it("the index lists every kata that has an experiment", async () => {
    const page = await (await browser(FLAGS)).newPage();
    await page.goto((await lab()).url);
    await page.waitForFunction(() => document.body.dataset.status === "idle");
    const links = await page.locator("main li a").allTextContents();
    assertEquals(links.length, katas.length, links.join(", "));
    await page.close();
  });

  for (const info of infos.filter((i) => ONLY === undefined || ONLY.includes(i.id))) {
    it(`kata ${info.id} runs its experiment on WASM with no console error, draws charts, numbers in range`, async () => {
      const query = `kata=${info.id}&backend=wasm&autorun=1${TEST_SETTINGS[info.id] ?? ""}`;
      const { page, errors } = await runPage(FLAGS, query);
      const data = await dataset(page);
      assertEquals(data.status, "done", data.error);
      assertEquals(data.backend, "wasm");
      assertEquals(errors, [], "console errors");
      const marks = await page.locator(".chart svg path, .chart svg image, .chart svg text").count();
      assert(marks > 10, `the charts drew ${marks} marks`);
      const shown = await page.locator(".readings td").allTextContents();
      assert(shown.length >= 6, `the page shows the readings: ${shown.join(" | ")}`);
      const readings = JSON.parse(data.readings ?? "[]") as {
        label: string;
        value: number;
        measure?: string;
      }[];
      for (const r of readings.filter((r) => r.label.startsWith("ONNX"))) {
        // onnxruntime-web in the page runs the exported network like tfjs (kata 06's step 6)
        assert(r.value < 1e-4, `${r.label}: ${r.value}`);
      }
      for (const r of readings.filter((r) => r.measure && info.ranges[r.measure])) {
        const { min, max } = info.ranges[r.measure!];
        assert(r.value >= min && r.value <= max, `${r.label} = ${r.value}, reference ${min} to ${max}`);
      }
      await Deno.mkdir(OUT, { recursive: true });
      // 1200 wide, the whole page: the charts and the readings beside their reference ranges
      await page.screenshot({ path: join(OUT, `${info.slug}.png`), fullPage: true });
      await Deno.writeTextFile(
        join(OUT, `${info.slug}.timing.json`),
        JSON.stringify({ backend: "wasm", firstChartMs: Number(data.firstChartMs) }) + "\n",
      );
      await page.close();
    });
  }

  it("the WebGPU path (software adapter) computes what the WASM path does", async () => {
    const info = kata06;
    const wasm = await runPage(FLAGS, `kata=${info.id}&backend=wasm&autorun=1`);
    const gpu = await runPage(WEBGPU_FLAGS, `kata=${info.id}&backend=webgpu&autorun=1`);
    const [a, b] = [await dataset(wasm.page), await dataset(gpu.page)];
    assertEquals(b.status, "done", b.error);
    assertEquals(b.backend, "webgpu");
    assertStringIncludes(b.adapter ?? "", "swiftshader");
    const wasmReadings = JSON.parse(a.readings!) as { label: string; value: number }[];
    const gpuReadings = JSON.parse(b.readings!) as { label: string; value: number }[];
    console.log(JSON.stringify({ wasm: wasmReadings, webgpu: gpuReadings }));
    for (const r of gpuReadings.filter((r) => r.label.startsWith("ONNX"))) {
      // the export reads the weights back from the GPU: onnxruntime-web must still run what tfjs runs
      assert(r.value < 1e-4, `WebGPU: ${r.label}: ${r.value}`);
    }
    const [first, other] = [wasmReadings[0], gpuReadings[0]];
    assert(
      Math.abs(other.value - first.value) <= 1e-3 * Math.abs(first.value),
      `${first.label}: wasm ${first.value}, webgpu ${other.value}`,
    );
    await wasm.page.close();
    await gpu.page.close();
  });

  it("the switch to the learner's code runs katas/: the stubs say what to implement", async () => {
    const info = kata06;
    const { page } = await runPage(FLAGS, `kata=${info.id}&backend=wasm&code=mine&autorun=1`);
    const data = await dataset(page);
    assertEquals(data.status, "error");
    assertStringIncludes(data.error ?? "", "not implemented yet");
    await page.close();
  });

  it("a learner's code that does not compile shows the compiler's error on the page, not a blank page", async () => {
    // A copy of what the learner's bundle is checked against, with a type error added to kata 06's stub.
    const root = await Deno.makeTempDir({ prefix: "ml-katas-lab-broken-" });
    const site = await Deno.makeTempDir({ prefix: "ml-katas-lab-site-" });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => serveFile(site, request),
    );
    try {
      for (const path of ["katas", "lib", "demo", "deno.json", "deno.lock"]) {
        await cp(join(ROOT, path), join(root, path), { recursive: true });
      }
      await Deno.symlink(join(ROOT, "node_modules"), join(root, "node_modules"));
      const stub = join(root, "katas", kata06.slug, "heatmap_regressor.ts");
      await Deno.writeTextFile(
        stub,
        `${await Deno.readTextFile(stub)}\nexport const broken: number = "text";\n`,
      );
      await Deno.copyFile(join(ROOT, "lab/index.html"), join(site, "index.html"));
      const built = await buildBundle(site, "mine", { root, codes: ["reference", "mine"] });
      assertEquals(built.ok, false, "the broken stub must not build");
      const page = await (await browser(FLAGS)).newPage();
      await page.goto(`http://127.0.0.1:${server.addr.port}/?kata=06&backend=wasm&code=mine&autorun=1`);
      await page.waitForFunction(() => document.body.dataset.status === "error", null, { timeout: 30_000 });
      const shown = await page.locator("pre.error").textContent() ?? "";
      assertStringIncludes(shown, "does not build");
      assertStringIncludes(shown, "heatmap_regressor.ts", "the error names the file");
      assertStringIncludes(shown, "TS2322", "the error is the compiler's");
      await page.close();
    } finally {
      await server.shutdown();
      await Deno.remove(root, { recursive: true });
      await Deno.remove(site, { recursive: true });
    }
  });

  it("closes the browsers and the server", async () => {
    for (const b of browsers.values()) await (await b).close();
    await (await lab()).close();
  });
});
