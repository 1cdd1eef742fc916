import "uplot/dist/uPlot.min.css";
import "./style.css";
import { ApiError, del, get, post, runJob } from "./api";
import { barChart, lineChart } from "./charts";
import { bytes, esc, money, number, percent, seconds } from "./format";

// One page over the HTTP API. The form's fields are named as the request records' fields (gpuPrice, input, ...), so
// a 400 problem's `field` finds its input, and the shareable URL's query string is the same names.

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("inputs");

type Json = Record<string, any>;

/** Fields shared by every serving question, read from the form. */
const formFields = ["model", "modelConfig", "gpu", "engine", "moeKernel", "gpus", "gpuPrice", "input", "output", "utilisation",
  "specMethod", "specLength", "specAcceptance", "specTree", "draftModel"] as const;
/** Simulation fields, kept in the shareable URL too. */
const simFields = ["rate", "requests", "sloTtft", "sloTpot", "priceModel", "plan", "users"] as const;
/** The panels' own text fields (ids prefixed by the panel), kept in the shareable URL too. */
const panelFields = ["plan-rate", "plan-sloTtft", "plan-sloTpot", "plan-maxGpusPerReplica", "plan-autoscaleStep", "plan-trialTime",
  "plan-diurnal", "plan-disaggregated", "plan-bands", "plan-prefillGpusPerReplica", "plan-decodeGpusPerReplica", "workload-selfHost",
  "search-model", "search-gpu", "search-gpuPrice", "search-weights", "search-kv", "search-gpusPerReplica", "search-layouts", "search-maxBatch",
  "search-prefillChunk", "search-disaggregation", "search-rate", "search-input", "search-output", "search-sloTtft", "search-sloTpot",
  "search-trialTime", "search-rank", "search-front", "search-top", "search-maxGpus",
  "workload-profile", "workload-requestsPerDay", "workload-model", "workload-cacheHit", "workload-compaction", "workload-outputReduction",
  "workload-on", "workload-cachedPrefill", "sweep-batches", "spec-specMethod", "spec-draftModel", "spec-specLength", "spec-specAcceptance", "spec-specTree", "spec-batches"] as const;

let lastCost: Json | null = null;

function value(id: string): string {
  return ($<HTMLInputElement>(id).value ?? "").trim();
}

/** A checkbox's state in the shareable URL: "true" when ticked, nothing otherwise. */
function urlValue(id: string): string {
  const input = $<HTMLInputElement>(id);
  return input.type === "checkbox" ? (input.checked ? "true" : "") : value(id);
}

/** A number field as a number, or the text as typed (the server names the field when it is not a number). */
function numeric(text: string): number | string {
  return /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text) ? Number(text) : text;
}

/** The model (or pasted config), GPU, serving engine and MoE kernel the form names: the fields every model-on-a-GPU
 * request starts with (the engine and kernel only when one is chosen; the API's defaults are vLLM's and its kernel, as
 * the CLI's). */
function subjectBody(): Json {
  const body: Json = { gpu: value("gpu") };
  if (value("engine") !== "") body.engine = value("engine");
  if (value("moeKernel") !== "") body.moeKernel = value("moeKernel");
  const config = value("modelConfig");
  if (config) {
    body.modelConfig = config;
    if (value("model")) body.model = "pasted-" + value("model");
  } else {
    body.model = value("model");
  }
  return body;
}

/** The serving request the form describes (a CostRequest; simulate and frontier take the same fields). */
function servingBody(withUtilisation = true): Json {
  const body = subjectBody();
  for (const f of ["gpus", "input", "output"]) if (value(f) !== "") body[f] = numeric(value(f));
  if (value("gpuPrice") !== "") body.gpuPrice = numeric(value("gpuPrice"));
  if (withUtilisation && value("utilisation") !== "" && value("utilisation") !== "1") body.utilisation = numeric(value("utilisation"));
  return { ...body, ...speculationBody() };
}

/** The Inputs' speculation group as the request records' fields (specMethod, specLength, specAcceptance, specTree,
 * draftModel); nothing when the method is off, as the CLI decodes one token per step without --spec-method. The draft
 * model goes only with the draft method (its select is shown only then). */
function speculationBody(): Json {
  const method = value("specMethod");
  if (method === "") return {};
  const body: Json = { specMethod: method };
  if (value("specLength") !== "") body.specLength = numeric(value("specLength"));
  for (const f of ["specAcceptance", "specTree"]) if (value(f) !== "") body[f] = list(value(f));
  if (method === "draft") body.draftModel = value("draftModel");
  return body;
}

/** Shows the speculation options only when speculating, and the draft model only for the draft method. */
function showSpeculationFields() {
  const method = value("specMethod");
  $("spec-options").hidden = method === "";
  $("draftModel-field").hidden = method !== "draft";
}

/** A request's speculation (a SpeculationSpec: method, draft, k, acceptance, tokens per step, tree) as one line. */
function speculationLine(s: Json | null | undefined): string {
  if (!s) return "";
  const tree = s.tree ? `, tree ${(s.tree as number[]).join(",")}` : "";
  return `${esc(s.method)}${s.draftModel ? " " + esc(s.draftModel) : ""}, k = ${s.length}${tree}, acceptance ${esc((s.acceptance as number[]).join(", "))}: ${number(s.tokensPerStep)} tokens per step`;
}

// ---- field errors ----

function clearErrors(scope: ParentNode = document) {
  scope.querySelectorAll<HTMLElement>(".error").forEach((e) => (e.textContent = ""));
  scope.querySelectorAll<HTMLElement>("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
}

/** Shows a problem next to the field it names, or in `fallback` when no input has that name. A panel passes itself
 * as `scope`: its own input for the field is found first (the plan's `rate` is not the simulation's), then the form's
 * (model, GPU, prices and token counts are shared). An input's error slot is `{input id}-error`, else `{field}-error`. */
function showError(e: unknown, fallback = "body-error", scope?: HTMLElement) {
  const problem = e instanceof ApiError ? e.problem : { detail: String(e) };
  const field = "field" in problem ? problem.field : undefined;
  const selector = field ? `[data-field="${CSS.escape(field)}"]` : "";
  const input = field ? (scope?.querySelector<HTMLElement>(selector) ?? document.querySelector<HTMLElement>(selector)) : null;
  const message = problem.detail ?? "request failed";
  if (input && field) {
    input.setAttribute("aria-invalid", "true");
    const slot = document.getElementById(`${input.id}-error`) ?? document.getElementById(`${field}-error`);
    if (slot) {
      slot.textContent = message;
      input.setAttribute("aria-describedby", slot.id);
      input.closest("details")?.setAttribute("open", "");
      input.focus();
      return;
    }
  }
  $(fallback).textContent = message;
}

function status(id: string, text: string) {
  $(id).textContent = text;
}

// ---- shareable URL ----

function shareableUrl(): string {
  const params = new URLSearchParams();
  for (const f of [...formFields, ...simFields, ...panelFields]) {
    const v = urlValue(f);
    if (v !== "" && f !== "modelConfig") params.set(f, v);
  }
  return `${location.origin}/?${params.toString()}`;
}

function readUrl(): boolean {
  const params = new URLSearchParams(location.search);
  let any = false;
  for (const f of [...formFields, ...simFields, ...panelFields]) {
    const v = params.get(f);
    if (v === null) continue;
    const input = $<HTMLInputElement>(f);
    if (input.type === "checkbox") input.checked = v === "true";
    else input.value = v;
    any = true;
  }
  return any;
}

// ---- catalog ----

async function loadCatalog() {
  const catalog = await get<Json>("/api/catalog");
  const fill = (id: string, items: Json[], selected: string) => {
    const select = $<HTMLSelectElement>(id);
    select.innerHTML = items.map((i) => `<option value="${esc(i.id)}"${i.id === selected ? " selected" : ""}>${esc(i.id)}</option>`).join("");
  };
  fill("model", catalog.models, "llama-3.3-70b");
  fill("gpu", catalog.accelerators, "nvidia-h100-sxm");
  fill("draftModel", catalog.models, "llama-3.1-8b");
  // The draft model is optional, as --draft-model is: "none" first.
  $<HTMLSelectElement>("spec-draftModel").insertAdjacentHTML("beforeend",
    (catalog.models as Json[]).map((m) => `<option value="${esc(m.id)}">${esc(m.id)}</option>`).join(""));
  try {
    const prices = await post<Json>("/api/prices", {});
    fill("priceModel", prices.prices.map((p: Json) => ({ id: p.modelId })), "claude-sonnet-4.5");
    // The workload's API model is optional, as --model is: "none" first.
    $<HTMLSelectElement>("workload-model").insertAdjacentHTML("beforeend",
      prices.prices.map((p: Json) => `<option value="${esc(p.modelId)}">${esc(p.modelId)}</option>`).join(""));
  } catch (e) {
    showError(e, "priceModel-error");
  }
}

// ---- estimate ----

function band(b: Json | undefined, format: (v: number) => string): string {
  return b ? `<span class="band">P10–P90 ${format(b.p10)} – ${format(b.p90)}</span>` : "";
}

function renderCost(report: Json) {
  const { serving, cost, bands } = report;
  const card = (label: string, main: string, extra: string, id: string) =>
    `<div class="card" id="${id}"><h3>${label}</h3><p class="big">${main}</p>${extra}</div>`;
  $("cost").innerHTML = [
    card("$/MTok input", money(cost.inputPerMillion), band(bands.inputPerMillion, money), "card-input"),
    card("$/MTok output", money(cost.outputPerMillion), band(bands.outputPerMillion, money), "card-output"),
    card("$/request", money(cost.perRequest), band(bands.perRequest, money), "card-request"),
    card("Cluster output", number(serving.clusterDecodeTokensPerSecond) + " tok/s", band(bands.clusterDecodeTokensPerSecond, number), "card-decode"),
    card("Per user", number(serving.decode.tokensPerSecondPerUser) + " tok/s", band(bands.decodeTokensPerSecondPerUser, number), "card-user"),
    card("Layout", `${serving.replicas} × ${esc(serving.parallelism.devicesPerReplica)} GPU`,
      `<span class="band">TP${serving.parallelism.tensor} PP${serving.parallelism.pipeline} EP${serving.parallelism.expert} DP${serving.parallelism.attentionData}</span>`, "card-layout"),
    ...(serving.speculation ? [card("Speculation speed-up", serving.speculation.speedUp.toFixed(2) + "×",
      `<span class="band">${number(serving.speculation.tokensPerStep)} tokens per step (${esc(serving.speculation.method)}, k = ${serving.speculation.length})</span>`, "card-speculation")] : []),
  ].join("");
  const m = serving.memory;
  $("memory").innerHTML = `<table class="data"><caption class="sr-only">Memory per device</caption><tbody>
    <tr><th scope="row">Capacity</th><td>${bytes(m.capacity)}</td></tr>
    <tr><th scope="row">Weights</th><td>${bytes(m.weights)} (${percent(m.weights / m.capacity)})</td></tr>
    <tr><th scope="row">KV cache available</th><td>${bytes(m.kvAvailable)}</td></tr>
    <tr><th scope="row">KV per sequence at ${number(m.contextTokens)} tokens</th><td>${bytes(m.kvPerSequence)}</td></tr>
    <tr><th scope="row">Most sequences that fit</th><td>${number(m.maxBatch)} per replica — ${m.fits ? "fits" : "does not fit"}</td></tr>
  </tbody></table>`;
  renderSpeculationSummary(serving);
  const notes: string[] = [bands.method, ...(serving.notes ?? [])];
  for (const [key, v] of Object.entries(report)) if (/extrapolat/i.test(key) && v) notes.push(`${key}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  $("notes").innerHTML = notes.map((n) => `<li>${esc(n)}</li>`).join("");
}

/** The estimate's speculation (its SpeculationSummary): plain decoding against the speculative step at the
 * estimate's batch (the estimate's decode is then the speculative step). */
function renderSpeculationSummary(serving: Json) {
  const s: Json | null | undefined = serving.speculation;
  $("speculation").hidden = !s;
  if (!s) {
    $("speculation-table").innerHTML = "";
    return;
  }
  const both = (a: string, b: string) => `${a} → ${b}`;
  $("speculation-table").innerHTML = `<table class="data" id="speculation-summary"><caption>${esc(s.method)}${s.draftModel ? " " + esc(s.draftModel) : ""}, k = ${s.length},
    acceptance ${esc((s.acceptance as number[]).join(", "))}</caption><tbody>
    <tr><th scope="row">Tokens per step</th><td id="spec-tokens-per-step">${number(s.tokensPerStep)}</td></tr>
    <tr><th scope="row">Step: plain → verify + draft</th><td>${both(seconds(s.plainStepTime), `${seconds(s.verifyTime)} + ${seconds(s.draftTime)}`)} (verify ${esc(s.verifyBound)}-bound)</td></tr>
    <tr><th scope="row">Tok/s per user: plain → speculative</th><td id="spec-per-user">${both(number(s.plainTokensPerSecondPerUser), number(serving.decode.tokensPerSecondPerUser))}</td></tr>
    <tr><th scope="row">Tok/s per replica: plain → speculative</th><td id="spec-per-replica">${both(number(s.plainTokensPerSecond), number(serving.decode.tokensPerSecond))}</td></tr>
    <tr><th scope="row">Speed-up</th><td id="spec-speedup">${s.speedUp.toFixed(2)}×</td></tr>
    <tr><th scope="row">Compute busy: plain → speculative</th><td>${both(percent(s.plainComputeBusy), percent(s.computeBusy))}</td></tr>
    <tr><th scope="row">MFU: plain → speculative (all FLOPs executed)</th><td>${both(percent(s.plainMfu), percent(s.mfu))} (${percent(s.hardwareFlopsUtilisation)})</td></tr>
    <tr><th scope="row">Draft memory per device</th><td>${bytes(s.draftWeightsPerDevice)} weights, ${bytes(s.draftKvPerSequence)} KV per sequence</td></tr>
  </tbody></table>`;
}

async function estimate() {
  clearErrors(form);
  status("form-status", "Estimating…");
  try {
    lastCost = await post<Json>("/api/cost", servingBody());
    renderCost(lastCost);
    history.replaceState(null, "", shareableUrl());
    status("form-status", `Estimated ${lastCost.serving.modelId} on ${lastCost.serving.totalDevices} × ${lastCost.serving.acceleratorId}.`);
  } catch (e) {
    status("form-status", "");
    showError(e);
  }
}

// ---- scenarios ----

async function loadScenarios() {
  const list = await get<Json[]>("/api/scenarios?limit=50");
  $("scenarios").innerHTML = list.map((s) => `<tr>
      <td><input type="checkbox" class="pick" value="${esc(s.id)}" aria-label="Compare ${esc(s.name)}"></td>
      <td>${esc(s.name)}</td><td>${esc(s.question)}</td><td>${esc(new Date(s.createdAt).toLocaleString())}</td><td>${esc(s.engineVersion)}</td>
    </tr>`).join("");
}

async function save() {
  clearErrors();
  const name = value("scenario-name");
  try {
    await post<Json>("/api/scenarios", { name, question: "cost", inputs: servingBody() });
    await loadScenarios();
    $<HTMLInputElement>("scenario-name").value = "";
    status("form-status", `Saved '${name}'.`);
  } catch (e) {
    showError(e);
  }
}

async function compare() {
  const ids = [...document.querySelectorAll<HTMLInputElement>(".pick:checked")].map((c) => c.value);
  if (ids.length < 2) {
    $("comparison").innerHTML = `<p class="error" role="alert">Tick two or more scenarios.</p>`;
    return;
  }
  const scenarios = await Promise.all(ids.map((id) => get<Json>(`/api/scenarios/${encodeURIComponent(id)}`)));
  const rows: [string, (s: Json) => string][] = [
    ["Model", (s) => s.inputs.model ?? "pasted config"],
    ["GPU", (s) => s.inputs.gpu],
    ["GPUs", (s) => number(s.inputs.gpus)],
    ["$/GPU-hour", (s) => (s.inputs.gpuPrice === null || s.inputs.gpuPrice === undefined ? "catalog" : String(s.inputs.gpuPrice))],
    ["Prompt / output tokens", (s) => `${number(s.inputs.input)} / ${number(s.inputs.output)}`],
    ["$/MTok input", (s) => money(s.result.cost?.inputPerMillion)],
    ["$/MTok output", (s) => money(s.result.cost?.outputPerMillion)],
    ["Cluster output tok/s", (s) => number(s.result.serving?.clusterDecodeTokensPerSecond)],
    ["Tok/s per user", (s) => number(s.result.serving?.decode?.tokensPerSecondPerUser)],
    ["Speculation", (s) => (s.result.serving?.speculation
      ? `${s.result.serving.speculation.method}, k = ${s.result.serving.speculation.length}: ${s.result.serving.speculation.speedUp.toFixed(2)}×` : "off")],
    ["Engine", (s) => s.engineVersion],
  ];
  const body = rows.map(([label, f]) => {
    const cells = scenarios.map(f);
    const differs = new Set(cells).size > 1;
    return `<tr${differs ? ' class="differs"' : ""}><th scope="row">${esc(label)}</th>${cells.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`;
  }).join("");
  $("comparison").innerHTML = `<table class="data" id="comparison-table"><caption>Side by side (rows that differ are marked)</caption>
    <thead><tr><th scope="col">Figure</th>${scenarios.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table>`;
}

// ---- frontier ----

/** The extrapolating line of rows that differ only in their batch (sweep's batches, frontier's users), as the CLI prints
 * it: what every row extrapolates once, then the rows whose decode batch is outside the calibrated regime. */
function extrapolatingRows(rows: [string, Json[]][], what: string, id: string): string {
  const shared = [...new Set(rows.flatMap(([, list]) => list.filter((e) => e.dimension !== "batchRegime").map((e) => e.label as string)))];
  const outside = rows.filter(([, list]) => list.some((e) => e.dimension === "batchRegime")).map(([label]) => label);
  if (shared.length === 0 && outside.length === 0) return "";
  const parts = [...shared, ...(outside.length ? [`decode batch outside the calibrated regime at ${what} ${outside.join(", ")}`] : [])];
  return `<p id="${id}">extrapolating: ${esc(parts.join(", "))}; each row's P10–P90 is widened for what it extrapolates.</p>`;
}

async function frontier() {
  clearErrors();
  const bar = $<HTMLProgressElement>("frontier-progress");
  bar.hidden = false;
  bar.value = 0;
  try {
    const report = await runJob<Json>("frontier", { ...servingBody(false), concurrency: [1, 2, 4, 8, 16, 32, 64, 128] }, (p) => (bar.value = p), () => {});
    const points: Json[] = report.frontier.points;
    lineChart($("frontier-chart"), "Output tok/s per GPU vs tok/s per user", "tok/s per user", [
      { label: "tok/s per GPU", x: points.map((p) => p.perUser), y: points.map((p) => p.outputPerGpu), stroke: "#2563eb" },
    ]);
    $("frontier-table").innerHTML = `<table class="data"><caption>Frontier points (${esc(report.frontier.layout)})${report.speculation ? `; speculation: <span id="frontier-speculation">${speculationLine(report.speculation)}</span>` : ""}</caption>
      <thead><tr><th scope="col">Users</th><th scope="col">tok/s/GPU</th><th scope="col">P10–P90</th><th scope="col">tok/s/user</th><th scope="col">TTFT P50</th><th scope="col">$/MTok out</th><th scope="col">P10–P90</th></tr></thead><tbody>
      ${points.map((p, i) => {
        const b: Json = report.bands[i];
        const range = (r: Json | null | undefined, f: (v: number) => string) => (r ? `${f(r.p10)}–${f(r.p90)}` : "–");
        return `<tr id="frontier-row-${i}"><td>${p.concurrency}</td><td>${number(p.outputPerGpu)}</td><td class="band">${range(b.outputPerGpu, number)}</td><td>${number(p.perUser)}</td><td>${seconds(p.timeToFirstTokenP50)}</td><td>${money(p.outputPerMillion)}</td><td class="price-band">${range(b.outputPerMillion, money)}</td></tr>`;
      }).join("")}
      </tbody></table>${extrapolatingRows((report.bands as Json[]).map((b) => [String(b.concurrency), b.extrapolating]), "users", "frontier-extrapolating")}`;
  } catch (e) {
    showError(e);
  } finally {
    bar.hidden = true;
  }
}

// ---- decode sweep ----

/** The sweep request: the form's serving fields (speculation included) and the panel's batch sizes. */
function sweepBody(): Json {
  const body = servingBody();
  if (value("sweep-batches") !== "") body.batches = list(value("sweep-batches"));
  return body;
}

async function sweep() {
  clearErrors();
  status("sweep-status", "Sweeping…");
  try {
    const report = await post<Json>("/api/sweep", sweepBody());
    renderSweep(report);
    history.replaceState(null, "", shareableUrl());
    const fits = (report.rows as Json[]).filter((r) => r.fits).length;
    status("sweep-status", `Swept ${report.rows.length} batch sizes of ${report.modelId} on ${report.totalDevices} × ${report.acceleratorId}: ${fits} fit (at most ${number(report.maxBatch)} sequences per replica).`);
  } catch (e) {
    status("sweep-status", "");
    showError(e, "sweep-error", $("sweep-panel"));
  }
}

/** A SweepReport: per batch the decode step (the speculative one when speculating, with its SpeculationSummary beside
 * plain decoding) and the output price; the chart is $/MTok output against the batch, plain and speculative. */
function renderSweep(report: Json) {
  const rows: Json[] = report.rows;
  const spec = rows.some((r) => r.speculation);
  const both = (a: string, b: string) => `${a} → ${b}`;
  const p = report.parallelism;
  const cells = rows.map((r, i) => {
    const d = r.decode;
    if (!r.fits || !d) return `<tr id="sweep-row-${i}"><td class="batch">${number(r.batch)}</td><td colspan="${spec ? 8 : 7}">does not fit</td></tr>`;
    const s = r.speculation;
    return `<tr id="sweep-row-${i}"><td class="batch">${number(r.batch)}</td><td>${seconds(d.stepTime)}</td>
      <td class="user">${s ? both(number(s.plainTokensPerSecondPerUser), number(d.tokensPerSecondPerUser)) : number(d.tokensPerSecondPerUser)}</td>
      <td class="replica">${s ? both(number(s.plainTokensPerSecond), number(d.tokensPerSecond)) : number(d.tokensPerSecond)}</td>
      ${spec ? `<td class="speedup">${s ? s.speedUp.toFixed(2) + "×" : "–"}</td>` : ""}
      <td class="cluster">${number(r.clusterOutputTokensPerSecond)}</td>
      <td class="cluster-band">${number(r.bands.clusterDecodeTokensPerSecond.p10)}–${number(r.bands.clusterDecodeTokensPerSecond.p90)}</td>
      <td class="price">${s ? both(money(r.plainOutputPerMillion), money(r.outputPerMillion)) : money(r.outputPerMillion)}</td>
      <td class="price-band">${money(r.bands.outputPerMillion.p10)}–${money(r.bands.outputPerMillion.p90)}</td></tr>`;
  }).join("");
  const arrow = spec ? " plain → spec" : "";
  const first = rows.find((r) => r.speculation)?.speculation;
  $("sweep-result").innerHTML = `<table class="data" id="sweep-table">
    <caption>${esc(report.modelId)} on ${esc(report.acceleratorId)} (TP${p.tensor} PP${p.pipeline} EP${p.expert} DP${p.attentionData}), ${number(report.replicas)} replica${report.replicas === 1 ? "" : "s"},
      ${number(report.contextTokens)} tokens of context, at most ${number(report.maxBatch)} sequences per replica${first ? `; speculation: <span id="sweep-speculation">${esc(first.method)}${first.draftModel ? " " + esc(first.draftModel) : ""}, k = ${first.length}, ${number(first.tokensPerStep)} tokens per step</span>` : ""}</caption>
    <thead><tr><th scope="col">Batch</th><th scope="col">Step time</th><th scope="col">tok/s per user${arrow}</th><th scope="col">tok/s per replica${arrow}</th>
    ${spec ? `<th scope="col">Speed-up</th>` : ""}<th scope="col">Cluster output tok/s</th><th scope="col">P10–P90</th><th scope="col">$/MTok output${arrow}</th><th scope="col">P10–P90</th></tr></thead>
    <tbody>${cells}</tbody></table>${extrapolatingRows(rows.filter((r) => r.fits).map((r) => [String(r.batch), r.extrapolating]), "batch", "sweep-extrapolating")}`;
  const fit = rows.filter((r) => r.fits && r.decode);
  const x = fit.map((r) => r.batch as number);
  lineChart($("sweep-chart"), spec ? "$/MTok output vs decode batch: plain and speculative" : "$/MTok output vs decode batch", "batch per replica", [
    ...(spec ? [{ label: "plain $/MTok output", x, y: fit.map((r) => r.plainOutputPerMillion ?? null), stroke: "#6b7280" }] : []),
    { label: spec ? "speculative $/MTok output" : "$/MTok output", x, y: fit.map((r) => r.outputPerMillion), stroke: "#2563eb" },
  ], { logX: true, yLabel: "$/MTok output" });
}

// ---- margin ----

function heat(v: number): string {
  // Red below break-even, green above; lightness keeps the text readable.
  const clamped = Math.max(-1, Math.min(1, v));
  const hue = clamped < 0 ? 0 : 130;
  return `hsl(${hue} 70% ${92 - Math.abs(clamped) * 35}%)`;
}

async function margin() {
  clearErrors();
  if (!lastCost) await estimate();
  if (!lastCost) return;
  try {
    const report = await post<Json>("/api/margin", {
      priceModel: value("priceModel"), costIn: lastCost.cost.inputPerMillion, costOut: lastCost.cost.outputPerMillion,
    });
    const cells: Json[] = report.sensitivity;
    const utils = [...new Set(cells.map((c) => c.utilisation))];
    const factors = [...new Set(cells.map((c) => c.costFactor))];
    const cell = (f: number, u: number) => cells.find((c) => c.costFactor === f && c.utilisation === u)!;
    $("margin").innerHTML = `<p>List price ${money(report.price.input)} in / ${money(report.price.output)} out (${esc(report.price.label)});
      gross margin ${percent(report.inputMargin)} on input, <strong>${percent(report.outputMargin)}</strong> on output.</p>
      <table class="data heatmap" id="margin-table"><caption>Output gross margin by cost error (rows) × utilisation (columns)</caption>
      <thead><tr><th scope="col">Cost ×</th>${utils.map((u) => `<th scope="col">util ${percent(u)}</th>`).join("")}</tr></thead>
      <tbody>${factors.map((f) => `<tr><th scope="row">${f}×</th>${utils.map((u) => {
        const m = cell(f, u).output;
        return `<td style="background:${heat(m)}">${percent(m)}</td>`;
      }).join("")}</tr>`).join("")}</tbody></table>
      <p class="hint">Left out: ${esc(report.leftOut.join("; "))}.</p>`;
  } catch (e) {
    showError(e, "priceModel-error");
  }
}

// ---- subscription population ----

async function subscriptions() {
  clearErrors();
  const body: Json = { plan: value("plan"), users: numeric(value("users")) };
  if (lastCost) {
    body.costIn = lastCost.cost.inputPerMillion;
    body.costOut = lastCost.cost.outputPerMillion;
  }
  try {
    const report = await runJob<Json>("subscription-population", body, () => {}, () => {});
    const r = report.result;
    $("subs-summary").innerHTML = `<p>Mean cost per subscriber ${money(r.meanCost)}/month against ${money(r.planPrice)};
      ${percent(r.lossMakingShare)} cost more than they pay; P50 ${money(r.p50)}, P90 ${money(r.p90)}, P99 ${money(r.p99)}.
      <span class="hint">Serving cost: ${esc(report.rateSource === "user-supplied" ? "this estimate's $/MTok" : report.rateSource)}.</span></p>`;
    const bins: Json[] = r.histogram;
    barChart($("subs-chart"), "Subscribers by monthly cost", "$/month", bins.map((b) => (b.from + b.to) / 2), bins.map((b) => b.subscribers));
  } catch (e) {
    showError(e);
  }
}

// ---- simulation ----

let simJob: string | null = null;

async function simulate() {
  clearErrors();
  const bar = $<HTMLProgressElement>("sim-progress");
  bar.value = 0;
  const cancel = $<HTMLButtonElement>("cancel-sim");
  const body: Json = { ...servingBody(false) };
  for (const f of ["rate", "requests"]) if (value(f) !== "") body[f] = numeric(value(f));
  for (const f of ["sloTtft", "sloTpot"]) if (value(f) !== "") body[f] = value(f);
  if ($<HTMLInputElement>("sim-bands").checked) body.bands = true;
  status("sim-status", "Starting…");
  try {
    const report = await runJob<Json>("simulate", body, (p) => {
      bar.value = p;
      status("sim-status", `Simulating: ${percent(p)}`);
    }, (id) => {
      simJob = id;
      cancel.disabled = false;
    });
    renderSimulation(report);
    status("sim-status", `Done: ${number(report.result.completed)} requests in ${seconds(report.result.wallTime)} of simulated time.`);
  } catch (e) {
    status("sim-status", e instanceof ApiError && e.problem.title === "cancelled" ? "Cancelled." : "");
    if (!(e instanceof ApiError && e.problem.title === "cancelled")) showError(e);
  } finally {
    simJob = null;
    cancel.disabled = true;
  }
}

function renderSimulation(report: Json) {
  const r = report.result;
  const row = (label: string, l: Json) => `<tr><th scope="row">${label}</th><td>${seconds(l.p50)}</td><td>${seconds(l.p90)}</td><td>${seconds(l.p99)}</td></tr>`;
  $("sim-summary").innerHTML = `<table class="data" id="sim-table"><caption>${esc(report.arrivals)}; ${esc(r.layout)} × ${r.replicas}</caption>
    <thead><tr><th scope="col">Latency</th><th scope="col">P50</th><th scope="col">P90</th><th scope="col">P99</th></tr></thead>
    <tbody>${row("Time to first token", r.timeToFirstToken)}${row("Time per output token", r.timePerOutputToken)}${row("Queue wait", r.queueWait)}${row("End to end", r.endToEnd)}</tbody></table>
    <p>Goodput ${percent(r.goodFraction)} within the SLO; mean KV use ${percent(r.meanKvUse)}; busy ${percent(r.busyFraction)};
      ${money(r.outputPerMillion)}/MTok output including idle time.</p>
    ${report.speculation ? `<p>Speculation: <span id="sim-speculation">${speculationLine(report.speculation)}</span>.</p>` : ""}`;
  $("sim-bands-table").innerHTML = report.bands ? bandsTable(report.bands) : "";
  const s: Json[] = r.series;
  lineChart($("sim-chart"), "KV use, waiting and running over time", "simulated seconds", [
    { label: "KV use (%)", x: s.map((p) => p.start), y: s.map((p) => p.kvUse * 100), stroke: "#2563eb" },
    { label: "Waiting", x: s.map((p) => p.start), y: s.map((p) => p.waiting), stroke: "#dc2626" },
    { label: "Running", x: s.map((p) => p.start), y: s.map((p) => p.running), stroke: "#16a34a" },
  ]);
}

/** The P10–P90 of a simulation's headline figures (report.bands: the runs at the band's engine speeds). */
function bandsTable(b: Json): string {
  const t = (label: string, x: Json) => `<tr><th scope="row">${label}</th><td>${seconds(x.value)}</td><td>${seconds(x.p10)}</td><td>${seconds(x.p90)}</td></tr>`;
  const rate = (x: number) => `${number(x)} tok/s`;
  return `<table class="data" id="sim-bands-result"><caption>P10–P90: engine speed × ${b.speed.low.toFixed(2)} … × ${b.speed.high.toFixed(2)} of the model, re-simulated (${esc(b.speed.basis)})</caption>
    <thead><tr><th scope="col">Figure</th><th scope="col">Simulated</th><th scope="col">P10</th><th scope="col">P90</th></tr></thead>
    <tbody>${t("Wall time", b.wallTime)}${t("TTFT P50", b.ttftP50)}${t("TTFT P90", b.ttftP90)}${t("TPOT P50", b.tpotP50)}${t("TPOT P90", b.tpotP90)}
      <tr><th scope="row">Output throughput</th><td>${rate(b.outputThroughput.value)}</td><td>${rate(b.outputThroughput.p10)}</td><td>${rate(b.outputThroughput.p90)}</td></tr>
      <tr><th scope="row">Within the SLO</th><td>${percent(b.goodFraction.value)}</td><td>${percent(b.goodFraction.p10)}</td><td>${percent(b.goodFraction.p90)}</td></tr>
      ${b.outputPerMillion ? `<tr><th scope="row">$/MTok output</th><td>${money(b.outputPerMillion.value)}</td><td>${money(b.outputPerMillion.p10)}</td><td>${money(b.outputPerMillion.p90)}</td></tr>` : ""}</tbody></table>`;
}

async function cancelSimulation() {
  if (simJob) await del(`/api/jobs/${simJob}`);
}

// ---- jobs with a Cancel button (plan, search) ----

const cancelled = (e: unknown) => e instanceof ApiError && e.problem.title === "cancelled";

/** Runs a job for a panel: its progress bar follows the events, its Cancel button is live while the job runs and
 * deletes it. */
async function panelJob(question: string, body: Json, bar: HTMLProgressElement, cancel: HTMLButtonElement): Promise<Json> {
  let job: string | null = null;
  const stop = () => {
    if (job) void del(`/api/jobs/${job}`);
  };
  cancel.addEventListener("click", stop);
  try {
    return await runJob<Json>(question, body, (p) => (bar.value = p), (id) => {
      job = id;
      cancel.disabled = false;
    });
  } finally {
    cancel.removeEventListener("click", stop);
    cancel.disabled = true;
  }
}

// ---- capacity plan ----

/** The plan request: the form's model, GPU, $/GPU-hour and token counts, and the panel's own fields (no gpus: the
 * number of GPUs is the answer). */
function planBody(): Json {
  const body = subjectBody();
  for (const f of ["input", "output"]) if (value(f) !== "") body[f] = numeric(value(f));
  if (value("gpuPrice") !== "") body.gpuPrice = numeric(value("gpuPrice"));
  for (const f of ["rate", "maxGpusPerReplica", "autoscaleStep", "prefillGpusPerReplica", "decodeGpusPerReplica"]) {
    if (value(`plan-${f}`) !== "") body[f] = numeric(value(`plan-${f}`));
  }
  for (const f of ["sloTtft", "sloTpot", "trialTime"]) if (value(`plan-${f}`) !== "") body[f] = value(`plan-${f}`);
  for (const f of ["diurnal", "disaggregated", "bands"]) if ($<HTMLInputElement>(`plan-${f}`).checked) body[f] = true;
  return { ...body, ...speculationBody() };
}

async function plan() {
  const panel = $("plan-panel");
  clearErrors();
  const bar = $<HTMLProgressElement>("plan-progress");
  bar.hidden = false;
  bar.value = 0;
  status("plan-status", "Simulating fleets…");
  try {
    const report = await panelJob("plan", planBody(), bar, $<HTMLButtonElement>("cancel-plan"));
    renderPlan(report);
    history.replaceState(null, "", shareableUrl());
    const gpus = (n: number) => `${number(n)} GPU${n === 1 ? "" : "s"}`;
    const planned = report.plan ?? report.aggregated;
    const split = report.disaggregated;
    status("plan-status", `Planned ${report.model} on ${report.accelerator}: ` +
      (planned ? `${gpus(planned.devices)} after ${number(planned.trials)} simulations` : "no aggregated fleet meets the targets") +
      (split ? `; ${gpus(split.devices)} in prefill and decode pools after ${number(split.trials)} more.` : "."));
  } catch (e) {
    status("plan-status", cancelled(e) ? "Cancelled." : "");
    if (!cancelled(e)) showError(e, "plan-error", panel);
  } finally {
    bar.hidden = true;
  }
}

const latency = (l: Json | null | undefined) => (l ? `${seconds(l.timeToFirstToken.p90)} / ${seconds(l.timePerOutputToken.p90)}` : "–");

/** A plan report: the aggregated fleet (a PlanReport's plan, or a DisaggregatedPlanReport's aggregated when one
 * meets the targets), then, when asked for, the prefill and decode pools. */
function renderPlan(report: Json) {
  const p = report.plan ?? report.aggregated;
  $("plan-result").innerHTML = (p ? aggregatedPlan(report, p) : `<p id="plan-none">No aggregated fleet meets the targets; the pools below were sized by hand.</p>`) +
    (report.disaggregated ? disaggregatedPlan(report.disaggregated) : "") +
    (report.bands ? (report.disaggregated ? splitBands(report.disaggregated, report.bands) : planBands(p, report.bands)) : "") +
    (report.extrapolating?.length ? `<p id="plan-extrapolating">extrapolating: ${esc((report.extrapolating as Json[]).map((e) => e.label).join(", "))}</p>` : "");
}

/** The split plan at the band's engine speeds (a disaggregated report's bands): both pools re-planned at each end. */
function splitBands(d: Json, b: Json): string {
  const pools = (prefill: number, decode: number) =>
    `${number(prefill)} prefill + ${number(decode)} decode replica${decode === 1 ? "" : "s"}`;
  const end = (e: Json) => (e.failure ? `none meets the targets: ${esc(e.failure)}` : pools(e.prefillReplicas, e.decodeReplicas));
  const cell = (x: number | null | undefined, f: (v: number) => string) => (x == null ? "–" : f(x));
  return `<table class="data" id="plan-split-bands-table"><caption>The split plan at the band's engine speeds (× ${b.speed.low.toFixed(2)} and × ${b.speed.high.toFixed(2)} of the model, both pools re-planned; ${esc(b.speed.basis)})</caption>
    <thead><tr><th scope="col"></th><th scope="col">As modelled</th><th scope="col">Slow end (P10 speed)</th><th scope="col">Fast end (P90 speed)</th></tr></thead>
    <tbody>
    <tr id="plan-split-bands-pools"><th scope="row">Pools</th><td>${pools(d.prefillReplicas, d.decodeReplicas)}</td><td>${end(b.slow)}</td><td>${end(b.fast)}</td></tr>
    <tr id="plan-split-bands-devices"><th scope="row">GPUs</th><td>${number(d.devices)}</td><td>${cell(b.slow.devices, number)}</td><td>${cell(b.fast.devices, number)}</td></tr>
    <tr><th scope="row">Fixed fleet, per day</th><td>${money(d.fixedFleet.cost)}</td><td>${cell(b.slow.fixedFleetPerDay, money)}</td><td>${cell(b.fast.fixedFleetPerDay, money)}</td></tr>
    <tr><th scope="row">$/MTok output</th><td>${money(d.fixedFleet.outputPerMillion)}</td><td>${cell(b.slow.outputPerMillion, money)}</td><td>${cell(b.fast.outputPerMillion, money)}</td></tr>
    </tbody></table>`;
}

/** The plan at the band's engine speeds (report.bands): the fleet, the day's cost and $/MTok at each end. */
function planBands(p: Json, b: Json): string {
  const fleet = (replicas: number, layout: string, devices: number) =>
    `${number(replicas)} replica${replicas === 1 ? "" : "s"} of ${esc(layout)} = ${number(devices)} GPU${devices === 1 ? "" : "s"}`;
  const end = (e: Json) => (e.failure ? `none meets the targets: ${esc(e.failure)}` : fleet(e.replicas, e.layout, e.devices));
  const cell = (x: number | null | undefined, f: (v: number) => string) => (x == null ? "–" : f(x));
  return `<table class="data" id="plan-bands-table"><caption>The plan at the band's engine speeds (× ${b.speed.low.toFixed(2)} and × ${b.speed.high.toFixed(2)} of the model, re-planned; ${esc(b.speed.basis)})</caption>
    <thead><tr><th scope="col"></th><th scope="col">As modelled</th><th scope="col">Slow end (P10 speed)</th><th scope="col">Fast end (P90 speed)</th></tr></thead>
    <tbody>
    <tr id="plan-bands-fleet"><th scope="row">Fleet</th><td>${fleet(p.replicas, p.layout, p.devices)}</td><td>${end(b.slow)}</td><td>${end(b.fast)}</td></tr>
    <tr id="plan-bands-devices"><th scope="row">GPUs</th><td>${number(p.devices)}</td><td>${cell(b.slow.devices, number)}</td><td>${cell(b.fast.devices, number)}</td></tr>
    <tr><th scope="row">Fixed fleet, per day</th><td>${money(p.fixedFleet.cost)}</td><td>${cell(b.slow.fixedFleetPerDay, money)}</td><td>${cell(b.fast.fixedFleetPerDay, money)}</td></tr>
    <tr><th scope="row">$/MTok output</th><td>${money(p.fixedFleet.outputPerMillion)}</td><td>${cell(b.slow.outputPerMillion, money)}</td><td>${cell(b.fast.outputPerMillion, money)}</td></tr>
    </tbody></table>`;
}

function disaggregatedPlan(d: Json): string {
  const peak = d.atPeak;
  const fewer = (l: Json | null | undefined) => (l ? latency(l.fleet) + (l.fleet.meetsSloAtP90 ? "" : " (misses)") : "the pool is one replica");
  const day = d.fixedFleet;
  return `<table class="data" id="plan-split"><caption>Separate prefill and decode pools</caption><tbody>
    <tr><th scope="row">GPUs</th><td id="plan-split-devices">${number(d.devices)}</td></tr>
    <tr><th scope="row">Prefill pool</th><td>${number(d.prefillReplicas)} × ${esc(d.prefillLayout)} (${number(d.prefillDevices)} GPUs, busy ${percent(peak.prefill.busyFraction)})</td></tr>
    <tr><th scope="row">Decode pool</th><td>${number(d.decodeReplicas)} × ${esc(d.decodeLayout)} (${number(d.decodeDevices)} GPUs, busy ${percent(peak.decode.busyFraction)})</td></tr>
    <tr><th scope="row">P90 TTFT / TPOT at the peak</th><td>${latency(peak.fleet)}</td></tr>
    <tr><th scope="row">P90 KV-cache handoff</th><td>${seconds(peak.handoff.p90)}</td></tr>
    <tr><th scope="row">One prefill replica fewer</th><td>${fewer(d.onePrefillFewer)}</td></tr>
    <tr><th scope="row">One decode replica fewer</th><td>${fewer(d.oneDecodeFewer)}</td></tr>
    <tr><th scope="row">A day fixed at the peak</th><td id="plan-split-day">${number(day.deviceHours)} GPU-hours, ${money(day.cost)}; ${money(day.blendedPerMillion)}/MTok blended, ${money(day.outputPerMillion)}/MTok output</td></tr>
    </tbody></table>`;
}

function aggregatedPlan(report: Json, p: Json): string {
  const peak = p.atPeak;
  const fewer = p.oneFewer;
  const day = (id: string, label: string, d: Json) => `<tr id="${id}"><th scope="row">${label}</th><td class="hours">${number(d.deviceHours)}</td>
    <td class="cost">${money(d.cost)}</td><td class="blended">${money(d.blendedPerMillion)}</td><td class="output">${money(d.outputPerMillion)}</td></tr>`;
  return `<table class="data" id="plan-table"><caption>${esc(report.model)} on ${esc(report.accelerator)}: prompts ${esc(report.input)}, outputs ${esc(report.output)}</caption>
    <tbody>
    <tr><th scope="row">GPUs</th><td id="plan-devices">${number(p.devices)}</td></tr>
    <tr><th scope="row">Fleet</th><td>${number(p.replicas)} replica${p.replicas === 1 ? "" : "s"} of ${esc(p.layout)}</td></tr>
    <tr><th scope="row">Peak rate</th><td>${number(p.peakRate)} req/s</td></tr>
    ${report.speculation ? `<tr><th scope="row">Speculation</th><td id="plan-speculation">${speculationLine(report.speculation)}</td></tr>` : ""}
    <tr><th scope="row">P90 TTFT / TPOT target</th><td>${seconds(p.slo.timeToFirstToken)} / ${seconds(p.slo.timePerOutputToken)}</td></tr>
    <tr><th scope="row">P90 TTFT / TPOT at the peak</th><td id="plan-peak">${latency(peak)}</td></tr>
    <tr><th scope="row">Requests within the targets</th><td>${percent(peak.goodFraction)}</td></tr>
    <tr><th scope="row">One replica fewer</th><td>${fewer ? latency(fewer) + (fewer.meetsSloAtP90 ? "" : " (misses)") : "the fleet is one replica"}</td></tr>
    <tr><th scope="row">One replica saturated</th><td>${number(p.saturation.requestsPerSecond)} req/s at ${number(p.saturation.concurrency)} in flight</td></tr>
    </tbody></table>
    <table class="data" id="plan-day"><caption>A day's cost (${number(p.autoscaleStepHours)} h autoscaling steps)</caption>
    <thead><tr><th scope="col">Fleet</th><th scope="col">GPU-hours</th><th scope="col">$/day</th><th scope="col">$/MTok blended</th><th scope="col">$/MTok output</th></tr></thead>
    <tbody>${day("plan-day-fixed", "Fixed at the peak", p.fixedFleet)}${day("plan-day-autoscaled", "Autoscaled", p.autoscaling)}
    <tr id="plan-day-static"><th scope="row">Static estimate (full utilisation)</th><td>–</td><td>–</td><td>${money(p.staticBlendedPerMillion)}</td><td>${money(p.staticOutputPerMillion)}</td></tr></tbody></table>
    <table class="data" id="plan-layouts"><caption>Replica sizes tried</caption>
    <thead><tr><th scope="col">GPUs per replica</th><th scope="col">Layout</th><th scope="col">Replicas</th><th scope="col">GPUs</th><th scope="col">Simulations</th><th scope="col">Why not</th></tr></thead>
    <tbody>${(p.layouts as Json[]).map((l) => `<tr><td>${l.devicesPerReplica}</td><td>${esc(l.layout)}</td><td>${number(l.replicas)}</td><td>${number(l.devices)}</td><td>${l.trials}</td><td>${esc(l.reason ?? "")}</td></tr>`).join("")}</tbody></table>`;
}

// ---- configuration search ----

/** A comma-separated list as its entries, numbers where they are numbers (the server names the field otherwise). */
function list(text: string): (number | string)[] {
  return text.split(",").map((t) => t.trim()).filter((t) => t !== "").map(numeric);
}

/** The search request: the panel's lists (blank models or GPUs: the ones chosen in Inputs) and settings. */
function searchBody(): Json {
  const v = (f: string) => value(`search-${f}`);
  const body: Json = {
    model: v("model") !== "" ? list(v("model")).map(String) : [value("model")],
    gpu: v("gpu") !== "" ? list(v("gpu")).map(String) : [value("gpu")],
  };
  // The Inputs' serving engine and MoE kernel, as every model-on-a-GPU request takes them (subjectBody).
  if (value("engine") !== "") body.engine = value("engine");
  if (value("moeKernel") !== "") body.moeKernel = value("moeKernel");
  for (const f of ["gpuPrice", "gpusPerReplica", "maxBatch", "prefillChunk"]) if (v(f) !== "") body[f] = list(v(f));
  for (const f of ["weights", "kv"]) if (v(f) !== "") body[f] = list(v(f)).map(String);
  for (const f of ["layouts", "disaggregation", "rank", "front", "sloTtft", "sloTpot", "trialTime"]) if (v(f) !== "") body[f] = v(f);
  for (const f of ["rate", "input", "output", "top", "maxGpus"]) if (v(f) !== "") body[f] = numeric(v(f));
  // The Inputs' speculation as the one decoding mode to try (search takes lists of methods and lengths).
  const spec = speculationBody();
  if (spec.specMethod) body.specMethod = [spec.specMethod];
  if (spec.specLength !== undefined) body.specLength = [spec.specLength];
  for (const f of ["specAcceptance", "specTree", "draftModel"]) if (spec[f] !== undefined) body[f] = spec[f];
  return body;
}

async function search() {
  clearErrors();
  const bar = $<HTMLProgressElement>("search-progress");
  bar.hidden = false;
  bar.value = 0;
  status("search-status", "Searching…");
  try {
    const report = await panelJob("search", searchBody(), bar, $<HTMLButtonElement>("cancel-search"));
    renderSearch(report);
    history.replaceState(null, "", shareableUrl());
    status("search-status", `Searched ${number(report.candidates)} candidates: ${number(report.feasible)} meet the targets; ${number(report.simulatedThisRun)} simulated in ${number(report.trials)} simulations.`);
  } catch (e) {
    status("search-status", cancelled(e) ? "Cancelled." : "");
    if (!cancelled(e)) showError(e, "search-error", $("search-panel"));
  } finally {
    bar.hidden = true;
  }
}

/** A best fleet's calibration coverage: its throughput band (× the model) and what it extrapolates. */
function coverage(c: Json): string {
  if (!c.extrapolating) return "not recorded";
  const band = `${(c.speed.low as number).toFixed(2)}–${(c.speed.high as number).toFixed(2)}`;
  const list = (c.extrapolating as Json[]).map((e) => e.label as string);
  return esc(`${band}: ${list.length ? list.join(", ") : "inside coverage"}`);
}

function renderSearch(report: Json) {
  const onFront = new Set((report.front as Json[]).map((c) => c.index));
  const best: Json[] = report.best;
  const rows = best.map((c, i) => `<tr id="search-best-${i}"><td>${i + 1}</td><td>${esc(c.configuration)}${c.disaggregated ? ` (${c.prefillReplicas} prefill + ${c.decodeReplicas} decode replicas)` : ""}</td>
    <td class="gpus">${number(c.gpus)}</td><td class="hourly">${money(c.fleetPerHour)}</td><td class="cost">${money(c.perMillionTokens)}</td>
    <td>${number(c.kwhPerMillionTokens)}</td><td class="ttft">${seconds(c.p90Ttft)}</td><td class="tpot">${seconds(c.p90Tpot)}</td><td>${onFront.has(c.index) ? "yes" : ""}</td>
    <td class="coverage">${coverage(c)}</td></tr>`).join("");
  $("search-result").innerHTML = `<p>${esc(report.workload)}; targets P90 TTFT ${seconds(report.slo.timeToFirstToken)}, P90 TPOT ${seconds(report.slo.timePerOutputToken)}.</p>
    ${best.length === 0 ? `<p class="error" id="search-none">No candidate meets the targets within the GPU limit.</p>` : `<table class="data" id="search-best">
    <caption>Best ${best.length} by ${esc(report.rank)} (Pareto front against ${esc(report.frontAxis)} marked)</caption>
    <thead><tr><th scope="col">#</th><th scope="col">Configuration</th><th scope="col">GPUs</th><th scope="col">Fleet $/hour</th><th scope="col">$/MTok (prompt + output)</th>
    <th scope="col">kWh/MTok</th><th scope="col">P90 TTFT</th><th scope="col">P90 TPOT</th><th scope="col">On the front</th><th scope="col">Throughput P10–P90 × model: extrapolating</th></tr></thead>
    <tbody>${rows}</tbody></table>`}
    <table class="data" id="search-stages"><caption>Candidates removed by each stage (of ${number(report.candidates)})</caption>
    <thead><tr><th scope="col">Stage</th><th scope="col">Candidates</th></tr></thead>
    <tbody>${(report.stages as Json[]).map((st) => `<tr><th scope="row">${esc(st.stage)}</th><td>${number(st.removed)}</td></tr>`).join("")}</tbody></table>`;
}

// ---- workload ----

/** The workload request: the panel's profile, volume, levers and API model; self-hosted, the form's model, GPU, GPUs,
 * $/GPU-hour and utilisation as well. */
function workloadBody(): Json {
  const v = (f: string) => value(`workload-${f}`);
  const body: Json = { profile: v("profile") };
  for (const f of ["requestsPerDay", "cacheHit", "compaction", "outputReduction"]) if (v(f) !== "") body[f] = numeric(v(f));
  if (v("model") !== "") body.model = v("model");
  if (v("on") !== "") body.on = v("on");
  if ($<HTMLInputElement>("workload-selfHost").checked) {
    body.selfHost = true;
    body.serveModel = value("model");
    body.gpu = value("gpu");
    if (value("engine") !== "") body.engine = value("engine");
    if (value("moeKernel") !== "") body.moeKernel = value("moeKernel");
    for (const f of ["gpus", "gpuPrice"]) if (value(f) !== "") body[f] = numeric(value(f));
    if (value("utilisation") !== "" && value("utilisation") !== "1") body.utilisation = numeric(value("utilisation"));
    if (v("cachedPrefill") !== "") body.cachedPrefill = numeric(v("cachedPrefill"));
    // The Inputs' speculation decodes on the self-hosted cluster (an API model's list price does not move with it).
    Object.assign(body, speculationBody());
  }
  return body;
}

async function workload() {
  clearErrors();
  status("workload-status", "Pricing…");
  try {
    const report = await post<Json>("/api/workload", workloadBody());
    renderWorkload(report);
    history.replaceState(null, "", shareableUrl());
    status("workload-status", `Priced ${report.workload.id} (${number(report.workload.requestsPerDay)} requests a day) on ${report.pricings.length} price sheet${report.pricings.length === 1 ? "" : "s"}.`);
  } catch (e) {
    status("workload-status", "");
    showError(e, "workload-error", $("workload-panel"));
  }
}

function renderWorkload(report: Json) {
  const w = report.workload;
  const pricings: Json[] = report.pricings;
  const sheets = pricings.map((p, i) => {
    const c = p.cost;
    const s = p.savings;
    return `<tr id="workload-row-${i}"><th scope="row">${esc(c.prices.label)}</th><td class="day">${money(c.perDay)}</td><td class="month">${money(c.perMonth)}</td><td class="blended">${money(c.blendedPerMillion)}</td><td class="output">${money(c.prices.output)}</td>
      <td>${money(s.caching)}</td><td>${money(s.compaction)}</td><td>${money(s.outputReduction)}</td><td class="saved">${money(s.total)}</td></tr>`;
  }).join("");
  const types = pricings.flatMap((p) => (p.cost.requests as Json[]).map((r) => `<tr><th scope="row">${esc(p.cost.prices.label)}</th><td>${esc(r.request.name)}</td>
    <td>${number(r.request.requestsPerDay)}</td><td>${number(r.tokens.prompt)}</td><td>${number(r.tokens.output + r.tokens.reasoning)}</td>
    <td>${money(r.perRequest)}</td><td>${money(r.perDay)}</td></tr>`)).join("");
  const notes: string[] = [...(w.assumptions ?? []), ...pricings.flatMap((p) => p.cost.notes ?? []), ...(report.selfHostNotes ?? [])];
  const sp = report.selfHostSpeculation;
  const speculated = sp ? `<p id="workload-speculation">Self-hosted decoding speculates (${esc(sp.method)}${sp.draftModel ? " " + esc(sp.draftModel) : ""}, k = ${sp.length}):
    ${number(sp.tokensPerStep)} tokens per step, <span id="workload-speedup">${sp.speedUp.toFixed(2)}×</span> plain decoding's tokens/s at batch
    <span id="workload-batch">${number(report.selfHostBatch)}</span> per replica, so the self-hosted output rate is plain decoding's ÷ that speed-up.</p>` : "";
  const b = report.selfHostBands;
  const banded = b ? `<p id="workload-band">Self-hosted P10–P90 (the engine's throughput band, × ${(b.speed.low as number).toFixed(2)} to × ${(b.speed.high as number).toFixed(2)}):
    <span class="day">${money(b.perDay.p10)} – ${money(b.perDay.p90)}</span> per day, ${money(b.perMonth.p10)} – ${money(b.perMonth.p90)} per month,
    ${money(b.blendedPerMillion.p10)} – ${money(b.blendedPerMillion.p90)}/MTok blended.</p>` : "";
  $("workload-result").innerHTML = `<p>${esc(w.description)}</p>${speculated}${banded}
    <table class="data" id="workload-table"><caption>${esc(w.id)}: cost with the levers, and what each saves per day against none</caption>
    <thead><tr><th scope="col">Priced on</th><th scope="col">$/day</th><th scope="col">$/month</th><th scope="col">$/MTok blended</th><th scope="col">$/MTok output rate</th>
    <th scope="col">Caching saves $/day</th><th scope="col">Compaction saves $/day</th><th scope="col">Output reduction saves $/day</th><th scope="col">All levers save $/day</th></tr></thead>
    <tbody>${sheets}</tbody></table>
    <table class="data" id="workload-requests"><caption>By request type</caption>
    <thead><tr><th scope="col">Priced on</th><th scope="col">Request</th><th scope="col">Requests/day</th><th scope="col">Prompt tokens/request</th><th scope="col">Output + reasoning tokens/request</th><th scope="col">$/request</th><th scope="col">$/day</th></tr></thead>
    <tbody>${types}</tbody></table>
    <ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`;
}

// ---- speculative decoding ----

/** The speculate request: the form's model, GPU, GPUs and token counts, and the panel's speculation fields. */
function speculateBody(): Json {
  const v = (f: string) => value(`spec-${f}`);
  const body = subjectBody();
  for (const f of ["gpus", "input", "output"]) if (value(f) !== "") body[f] = numeric(value(f));
  for (const f of ["specMethod", "draftModel"]) if (v(f) !== "") body[f] = v(f);
  if (v("specLength") !== "") body.specLength = numeric(v("specLength"));
  for (const f of ["specAcceptance", "specTree", "batches"]) if (v(f) !== "") body[f] = list(v(f));
  return body;
}

async function speculate() {
  clearErrors();
  status("spec-status", "Estimating…");
  try {
    const report = await post<Json>("/api/speculate", speculateBody());
    renderSpeculation(report);
    history.replaceState(null, "", shareableUrl());
    const s = report.speculation;
    status("spec-status", `Estimated ${s.methodName === "draft" ? `draft model ${s.draft.id}` : ({ mtp: "MTP", medusa: "Medusa", eagle: "EAGLE" } as Json)[s.methodName] ?? s.methodName} on ${report.modelId}: k = ${s.length}, ${number(s.expectedTokensPerStep)} tokens per step.`);
  } catch (e) {
    status("spec-status", "");
    showError(e, "spec-error", $("spec-panel"));
  }
}

function renderSpeculation(report: Json) {
  const s = report.speculation;
  const p = report.parallelism;
  const both = (a: string, b: string) => `${a} → ${b}`;
  const rows = (report.rows as Json[]).map((r, i) => {
    const st = r.step;
    if (!r.fits || !st) return `<tr id="spec-row-${i}"><td>${number(r.batch)}</td><td colspan="9">does not fit</td></tr>`;
    return `<tr id="spec-row-${i}"><td class="batch">${number(r.batch)}</td><td>${seconds(st.baseline.stepTime)}</td><td>${seconds(st.verify.total)} + ${seconds(st.draftTime)}</td>
      <td>${esc(st.verifyBound)}</td><td class="user">${both(number(st.baseline.tokensPerSecondPerUser), number(st.tokensPerSecondPerUser))}</td>
      <td>${both(number(st.baseline.tokensPerSecond), number(st.tokensPerSecond))}</td>
      <td class="band">${number(r.tokensPerSecond.p10)}–${number(r.tokensPerSecond.p90)}</td><td class="speedup">${st.speedUp.toFixed(2)}×</td>
      <td>${both(percent(st.baselineComputeBusy), percent(st.computeBusy))}</td><td>${both(percent(st.baselineMfu), percent(st.mfu))}</td></tr>`;
  }).join("");
  $("spec-result").innerHTML = `<table class="data" id="spec-table">
    <caption>${esc(report.modelId)} on ${esc(report.acceleratorId)} (TP${p.tensor} PP${p.pipeline} EP${p.expert} DP${p.attentionData}): k = ${s.length},
      acceptance ${esc(((s.spec?.acceptance ?? s.acceptance) as number[]).join(", "))}, ${number(s.expectedTokensPerStep)} tokens per step; context ${number(report.contextTokens)} tokens; at most ${number(report.maxBatch)} sequences fit</caption>
    <thead><tr><th scope="col">Batch</th><th scope="col">Plain step</th><th scope="col">Verify + draft</th><th scope="col">Verify bound</th>
    <th scope="col">tok/s per user plain → spec</th><th scope="col">tok/s per replica plain → spec</th><th scope="col">spec P10–P90</th><th scope="col">Speed-up</th>
    <th scope="col">Compute busy plain → spec</th><th scope="col">MFU plain → spec</th></tr></thead>
    <tbody>${rows}</tbody></table>${extrapolatingRows((report.rows as Json[]).filter((r) => r.fits).map((r) => [String(r.batch), r.extrapolating]), "batch", "spec-extrapolating")}`;
}

// ---- wiring ----

form.addEventListener("submit", (e) => {
  e.preventDefault();
  void estimate();
});
$("share").addEventListener("click", async () => {
  const url = shareableUrl();
  history.replaceState(null, "", url);
  try {
    await navigator.clipboard.writeText(url);
    status("form-status", "Link copied: " + url);
  } catch {
    status("form-status", "Link: " + url);
  }
});
$("save").addEventListener("click", () => void save());
$("compare").addEventListener("click", () => void compare());
$("run-frontier").addEventListener("click", () => void frontier());
$("run-margin").addEventListener("click", () => void margin());
$("run-subs").addEventListener("click", () => void subscriptions());
$("run-sim").addEventListener("click", () => void simulate());
$("cancel-sim").addEventListener("click", () => void cancelSimulation());
$("run-plan").addEventListener("click", () => void plan());
$("run-search").addEventListener("click", () => void search());
$("run-workload").addEventListener("click", () => void workload());
$("run-sweep").addEventListener("click", () => void sweep());
$("run-spec").addEventListener("click", () => void speculate());
$("specMethod").addEventListener("change", showSpeculationFields);

(async () => {
  await loadCatalog();
  const shared = readUrl();
  showSpeculationFields();
  await loadScenarios();
  document.body.dataset.ready = "true";
  if (shared) await estimate();
})().catch((e) => showError(e));
