/// <reference lib="dom" />
/**
 * One kata's lab page in the browser: the question and the lesson, the experiment's knobs as controls, a
 * backend selector (WebGPU where the browser offers an adapter, else WASM) and, on the development server, a
 * switch between the reference solution and the learner's own code. Running the experiment updates its
 * charts (vega-embed) and progress as it trains, and shows its numbers beside the reference ranges from the
 * kata's calibration file.
 *
 * The page is scriptable: `?kata=06&backend=wasm|webgpu|auto&autorun=1`, plus any knob by its name
 * (`&labels=minmax`), and, when the experiment ends,
 * `document.body.dataset.status` is `done` (or `error`, with `dataset.error`).
 *
 * @example Usage
 * ```ts ignore
 * import { startLab } from "./page.ts";
 * await startLab({ katas, experiments, code: "reference", codes: ["reference", "mine"] });
 * ```
 * @module
 */
import embed from "vega-embed";
import { type BrowserBackendRequest, initBrowserBackend } from "@lib/backend/browser.ts";
import type { Chart, Experiment, Reading, Settings } from "../../demo/experiment.ts";
import { defaultSettings } from "../../demo/experiment.ts";

/** What a page knows about a kata without running anything: from its manifest and calibration file. */
export interface KataInfo {
  /** "06". */
  id: string;
  /** "06-batchnorm-regression". */
  slug: string;
  /** The manifest's title. */
  title: string;
  /** The manifest's question. */
  question: string;
  /** Reference range per `measured()` label: over the calibration seeds, and the seeds' text. */
  ranges: Record<string, { min: number; max: number }>;
  /** The calibration seeds, as people write them ("1–20"). */
  seeds: string;
}

/** What {@linkcode startLab} is given. */
export interface LabOptions {
  /** Every kata with an experiment, by id. */
  katas: KataInfo[];
  /** The experiments, by kata id. */
  experiments: Record<string, Experiment>;
  /** Whose code this bundle runs. */
  code: "reference" | "mine";
  /** The code switches this site offers (a static site only has the reference). */
  codes: ("reference" | "mine")[];
  /** Where tfjs's and onnxruntime's wasm files are served, relative to the page. */
  wasmPath: string;
  /** The learner's code did not build: the message to show (the page then runs nothing). */
  buildError?: string;
}

const $ = <T extends HTMLElement>(tag: string, attrs: Record<string, string> = {}, text = ""): T => {
  const el = document.createElement(tag) as T;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text) el.textContent = text;
  return el;
};

const format = (v: number) =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 1000
    ? Math.round(v).toLocaleString("en-US")
    : Math.abs(v) < 1e-3 && v !== 0
    ? v.toExponential(1)
    : String(Number(v.toPrecision(3)));

function setStatus(status: "idle" | "running" | "done" | "error", error?: string): void {
  document.body.dataset.status = status;
  if (error) document.body.dataset.error = error;
  else delete document.body.dataset.error;
}

/** The page's URL parameters. */
function params(): { kata?: string; backend: BrowserBackendRequest; autorun: boolean } {
  const p = new URLSearchParams(location.search);
  const backend = p.get("backend");
  return {
    kata: p.get("kata") ?? undefined,
    backend: backend === "wasm" || backend === "webgpu" ? backend : "auto",
    autorun: p.get("autorun") === "1",
  };
}

/** A link to this page with some parameters changed. */
function linkWith(changes: Record<string, string>): string {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) p.set(k, v);
  return `?${p}`;
}

/** The index: one link per kata. */
function renderIndex(options: LabOptions): void {
  const main = $("main");
  main.append($("h1", {}, "ml-katas lab"), $("p", {}, "Each kata's experiment, live in your browser."));
  const list = $("ul");
  for (const kata of options.katas) {
    const item = $("li");
    const link = $<HTMLAnchorElement>(
      "a",
      { href: linkWith({ kata: kata.id }) },
      `${kata.id} · ${kata.title}`,
    );
    item.append(link, $("p", { class: "question" }, kata.question));
    list.append(item);
  }
  main.append(list);
  document.body.replaceChildren(main);
  setStatus("idle");
}

/** The numbers table: reading, value, reference range, a mark when outside it. */
function readingsTable(readings: Reading[], kata: KataInfo): HTMLTableElement {
  const table = $<HTMLTableElement>("table", { class: "readings" });
  const head = $("tr");
  for (const h of ["measurement", "this run", `reference (seeds ${kata.seeds})`]) head.append($("th", {}, h));
  table.append(head);
  for (const r of readings) {
    const row = $("tr");
    const range = r.measure ? kata.ranges[r.measure] : undefined;
    const outside = range && (r.value < range.min || r.value > range.max);
    row.append(
      $("td", {}, r.label),
      $("td", { class: outside ? "outside" : "" }, format(r.value)),
      $(
        "td",
        {},
        range ? `${format(range.min)} to ${format(range.max)}${outside ? "  ▲▼ outside" : ""}` : "—",
      ),
    );
    table.append(row);
  }
  return table;
}

/**
 * Draws `charts` into `box`, one `div` per chart, reusing the ones already there.
 *
 * @param box The charts' container.
 * @param charts The charts.
 */
async function drawCharts(box: HTMLElement, charts: Chart[]): Promise<void> {
  for (const chart of charts) {
    let div = box.querySelector<HTMLElement>(`[data-chart="${chart.name}"]`);
    if (!div) {
      div = $("div", { "data-chart": chart.name, class: "chart" });
      box.append(div);
    }
    await embed(div, chart.spec as Parameters<typeof embed>[1], { actions: false, renderer: "svg" });
  }
}

/** One kata's page. */
async function renderKata(options: LabOptions, kata: KataInfo, experiment: Experiment): Promise<void> {
  const { backend: request, autorun } = params();
  const main = $("main");
  main.append(
    $("p", {}, "").appendChild($<HTMLAnchorElement>("a", { href: "?" }, "← all katas")).parentElement!,
    $("h1", {}, `Kata ${kata.id} · ${kata.title}`),
    $("p", { class: "question" }, kata.question),
    $("p", { class: "lesson" }, experiment.lesson),
  );
  const controls = $("form", { class: "controls" });
  const settings: Settings = defaultSettings(experiment);
  const query = new URLSearchParams(location.search);
  for (const knob of experiment.knobs) {
    const asked = query.get(knob.name); // e.g. ?kata=01&pixels=scaled: a knob's value from the URL
    if (asked !== null && knob.options.some((o) => o.value === asked)) settings[knob.name] = asked;
  }
  for (const knob of experiment.knobs) {
    const label = $("label", {}, `${knob.label} `);
    const select = $<HTMLSelectElement>("select", { name: knob.name });
    for (const option of knob.options) {
      const o = $<HTMLOptionElement>("option", { value: option.value }, option.label);
      if (option.value === settings[knob.name]) o.selected = true;
      select.append(o);
    }
    select.addEventListener("change", () => settings[knob.name] = select.value);
    label.append(select);
    controls.append(label);
  }
  const backendSelect = $<HTMLSelectElement>("select", { name: "backend" });
  for (const b of ["auto", "webgpu", "wasm"]) {
    const o = $<HTMLOptionElement>("option", { value: b }, b);
    if (b === request) o.selected = true;
    backendSelect.append(o);
  }
  backendSelect.addEventListener(
    "change",
    () => location.search = linkWith({ backend: backendSelect.value }),
  );
  const backendLabel = $("label", {}, "backend ");
  backendLabel.append(backendSelect);
  controls.append(backendLabel);
  if (options.codes.length > 1) {
    const codeSelect = $<HTMLSelectElement>("select", { name: "code" });
    for (const c of options.codes) {
      const o = $<HTMLOptionElement>("option", { value: c }, c === "mine" ? "my code (katas/)" : "reference");
      if (c === options.code) o.selected = true;
      codeSelect.append(o);
    }
    codeSelect.addEventListener("change", () => location.search = linkWith({ code: codeSelect.value }));
    const codeLabel = $("label", {}, "code ");
    codeLabel.append(codeSelect);
    controls.append(codeLabel);
  }
  const run = $<HTMLButtonElement>("button", { type: "submit" }, "Run");
  controls.append(run);
  const status = $("p", { class: "status" }, "starting…");
  const progress = $<HTMLProgressElement>("progress", { max: "1", value: "0" });
  const charts = $("div", { class: "charts" });
  const numbers = $("div", { class: "numbers" });
  const error = $("pre", { class: "error", hidden: "" });
  main.append(controls, status, progress, error, charts, numbers);
  document.body.replaceChildren(main);
  const fail = (message: string) => {
    error.hidden = false;
    error.textContent = message;
    status.textContent = "error";
    setStatus("error", message);
  };
  if (options.buildError) {
    run.disabled = true;
    fail(`Your code does not build, so nothing runs:\n\n${options.buildError}`);
    return;
  }
  let where: string;
  try {
    const chosen = await initBrowserBackend(request, options.wasmPath);
    where = `${chosen.backend}${chosen.adapter ? ` (adapter ${chosen.adapter})` : ""}`;
    document.body.dataset.backend = chosen.backend;
    if (chosen.adapter) document.body.dataset.adapter = chosen.adapter;
  } catch (e) {
    fail(String((e as Error)?.message ?? e));
    return;
  }
  status.textContent = `backend: ${where} · code: ${options.code}`;
  setStatus("idle");
  const start = async () => {
    run.disabled = true;
    error.hidden = true;
    setStatus("running");
    const started = performance.now();
    let firstChart: number | undefined;
    let drawing = Promise.resolve();
    try {
      const result = await experiment.run({ ...settings }, {
        seed: 42,
        dataUrl: new URL("./data/", location.href).href,
        onProgress(update) {
          progress.value = update.fraction;
          status.textContent = `backend: ${where} · ${update.stage}`;
          if (update.charts?.length) {
            drawing = drawing.then(() => drawCharts(charts, update.charts!)).then(() => {
              firstChart ??= performance.now() - started;
              document.body.dataset.firstChartMs = String(Math.round(firstChart));
            });
          }
          if (update.readings?.length) numbers.replaceChildren(readingsTable(update.readings, kata));
        },
      });
      await drawing;
      await drawCharts(charts, result.charts);
      firstChart ??= performance.now() - started;
      document.body.dataset.firstChartMs = String(Math.round(firstChart));
      numbers.replaceChildren(readingsTable(result.readings, kata));
      document.body.dataset.readings = JSON.stringify(result.readings);
      progress.value = 1;
      status.textContent = `backend: ${where} · done in ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s`;
      setStatus("done");
    } catch (e) {
      fail(String((e as Error)?.stack ?? e));
    } finally {
      run.disabled = false;
    }
  };
  controls.addEventListener("submit", (event) => {
    event.preventDefault();
    start();
  });
  if (autorun) await start();
}

/**
 * Starts the lab page: the index without `?kata=`, else that kata's page.
 *
 * @example Usage
 * ```ts ignore
 * import { startLab } from "./page.ts";
 * await startLab(options);
 * ```
 * @param options The katas, their experiments and where the code comes from.
 */
export async function startLab(options: LabOptions): Promise<void> {
  const { kata: wanted } = params();
  const kata = options.katas.find((k) => k.id === wanted || k.slug === wanted);
  if (!wanted) return renderIndex(options);
  if (!kata || !options.experiments[kata.id]) {
    document.body.textContent = `no experiment for kata "${wanted}"`;
    setStatus("error", `no experiment for kata "${wanted}"`);
    return;
  }
  await renderKata(options, kata, options.experiments[kata.id]);
}
