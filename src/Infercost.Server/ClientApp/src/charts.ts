import uPlot from "uplot";

// uPlot draws on a canvas: each chart is also described by its container's aria-label and by a table beside it.

export interface Line {
  label: string;
  x: number[];
  y: (number | null)[];
  stroke: string;
}

const charts = new WeakMap<HTMLElement, uPlot>();

function width(el: HTMLElement): number {
  return Math.max(280, Math.floor(el.getBoundingClientRect().width || 600));
}

function place(el: HTMLElement, opts: uPlot.Options, data: uPlot.AlignedData) {
  charts.get(el)?.destroy();
  el.innerHTML = "";
  const plot = new uPlot(opts, data, el);
  charts.set(el, plot);
}

/** How a line chart's axes read: a log x axis for sizes that double (batch 1, 2, 4 ... 1,024), and the y axis's label
 * when there is more than one line. */
export interface ChartOptions {
  logX?: boolean;
  yLabel?: string;
}

/** Lines sharing the first line's x values (the frontier, a simulation's time series, a decode sweep). */
export function lineChart(el: HTMLElement, title: string, xLabel: string, lines: Line[], options: ChartOptions = {}) {
  const x = lines[0]?.x ?? [];
  place(el, {
    title,
    width: width(el),
    height: 280,
    scales: { x: options.logX ? { time: false, distr: 3, log: 2 } : { time: false } },
    axes: [{ label: xLabel }, { label: options.yLabel ?? (lines.length === 1 ? lines[0].label : "") }],
    series: [{ label: xLabel }, ...lines.map((l) => ({ label: l.label, stroke: l.stroke, width: 2, points: { show: x.length < 40 } }))],
  }, [x, ...lines.map((l) => l.y)] as uPlot.AlignedData);
}

/** Bars at x (bin centres) of height y. */
export function barChart(el: HTMLElement, title: string, xLabel: string, x: number[], y: number[]) {
  const bars = uPlot.paths.bars!({ size: [0.9, 100] });
  place(el, {
    title,
    width: width(el),
    height: 260,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { label: "subscribers" }],
    series: [{ label: xLabel }, { label: "subscribers", stroke: "#7c3aed", fill: "rgba(124, 58, 237, 0.35)", paths: bars, points: { show: false } }],
  }, [x, y]);
}

// Charts follow the width of their panel (phone to desktop).
window.addEventListener("resize", () => {
  document.querySelectorAll<HTMLElement>(".chart").forEach((el) => {
    const plot = charts.get(el);
    if (plot) plot.setSize({ width: width(el), height: plot.height });
  });
});
