// Numbers as the CLI prints them: three significant figures, grouped thousands.

export function number(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 1e15 || abs < 1e-4) return value.toExponential(2);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (Number.isInteger(value)) return String(value);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return value.toFixed(digits);
}

export function money(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  if (abs >= 100) return "$" + Math.round(value).toLocaleString("en-US");
  if (abs >= 0.01 || abs === 0) return "$" + value.toFixed(abs >= 10 ? 2 : 3);
  return "$" + value.toPrecision(2);
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return (value * 100).toFixed(Math.abs(value) >= 0.1 ? 0 : 1) + "%";
}

export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  if (value >= 1) return number(value) + " s";
  if (value >= 1e-3) return number(value * 1e3) + " ms";
  return number(value * 1e6) + " µs";
}

export function bytes(value: number): string {
  return number(value / 1e9) + " GB";
}

/** Text safe to put in HTML. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
