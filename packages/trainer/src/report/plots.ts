import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { writeFileAtomic } from "./atomic-write";
import { escapeXml } from "./escape-xml";
import type { MetricsRecord } from "./metrics-log";
import { niceTicks } from "./nice-ticks";
import { seriesColour } from "./palette";

/** One line of a chart. A null or NaN y (or band bound) is a gap; `band` rows are `[x, lo, hi]`. */
export type ChartSeries = {
  name: string;
  points: Array<[number, number | null]>;
  band?: Array<[number, number | null, number | null]>;
};

export type LineChart = {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Pixels; default 720 x 400. */
  width?: number;
  height?: number;
  /** Values the y axis must include besides the data, e.g. `[0, 1]` for rates. */
  yRange?: [number, number];
};

const FONT = 12;
const CHAR_WIDTH = 0.62 * FONT; // a generous average advance for sans-serif, so labels are not clipped
const MARGIN_TOP = 40;
const MARGIN_BOTTOM = 50;
const LEGEND_MAX_CHARS = 28;
const LEGEND_ROW = 18;
const INSET = 8;

/**
 * Renders a line chart as a standalone SVG document: round-numbered axes with grid lines, one coloured line
 * per series (gaps where y is null or NaN, a dot for an isolated point), an optional shaded band, and a
 * legend. Points are drawn in x order; x = lo..hi of the axis maps to the plot area's left..right edge and
 * y = lo..hi to its bottom..top (the area is the `rect` with class `plot-area`).
 *
 * @example
 * const svg = renderLineChartSvg({
 *   title: "reward", xLabel: "step", yLabel: "reward",
 *   series: [{ name: "mean", points: [[0, 0.1], [1, 0.3]], band: [[0, 0, 0.2], [1, 0.1, 0.5]] }],
 * });
 */
export function renderLineChartSvg(chart: LineChart): string {
  const { title, xLabel, yLabel, series, width = 720, height = 400, yRange } = chart;
  if (!Array.isArray(series))
    throw new Error(`renderLineChartSvg: series must be an array, got ${typeof series}`);
  if (!Number.isInteger(width) || width < 240) {
    throw new Error(`renderLineChartSvg: width must be an integer >= 240, got ${width}`);
  }
  if (!Number.isInteger(height) || height < 160) {
    throw new Error(`renderLineChartSvg: height must be an integer >= 160, got ${height}`);
  }
  if (yRange && !(Number.isFinite(yRange[0]) && Number.isFinite(yRange[1]) && yRange[0] <= yRange[1])) {
    throw new Error(`renderLineChartSvg: yRange must be finite [lo, hi] with lo <= hi, got [${yRange}]`);
  }
  series.forEach(checkSeries);

  const xs: number[] = [];
  const ys: number[] = yRange ? [...yRange] : [];
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && isValue(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
    for (const [x, lo, hi] of s.band ?? []) {
      if (Number.isFinite(x) && isValue(lo) && isValue(hi)) {
        xs.push(x);
        ys.push(lo, hi);
      }
    }
  }
  const hasData = xs.length > 0;

  const frameTop = MARGIN_TOP;
  const frameBottom = height - MARGIN_BOTTOM;
  const legend = legendLayout(
    series.map((s) => s.name),
    width,
    frameBottom - frameTop,
  );
  // The data area sits INSET px inside the frame so lines on the axis ends stay visible.
  const top = frameTop + INSET;
  const plotHeight = frameBottom - frameTop - 2 * INSET;
  const yAxis = niceTicks(
    ys.length > 0 ? minOf(ys) : 0,
    ys.length > 0 ? maxOf(ys) : 1,
    clamp(Math.round(plotHeight / 60), 2, 10),
  );
  const frameLeft = 30 + Math.max(...yAxis.labels.map((l) => l.length)) * CHAR_WIDTH;
  const frameRight = width - 16 - legend.width;
  const left = frameLeft + INSET;
  const plotWidth = frameRight - frameLeft - 2 * INSET;
  if (plotWidth < 60) {
    throw new Error(`renderLineChartSvg: width ${width} leaves no room for the plot beside the legend`);
  }
  const xAxis = niceTicks(
    hasData ? minOf(xs) : 0,
    hasData ? maxOf(xs) : 1,
    clamp(Math.round(plotWidth / 90), 2, 10),
  );
  const px = (x: number) => round2(left + ((x - xAxis.lo) / (xAxis.hi - xAxis.lo)) * plotWidth);
  const py = (y: number) => round2(top + ((yAxis.hi - y) / (yAxis.hi - yAxis.lo)) * plotHeight);
  const fl = round2(frameLeft);
  const fr = round2(frameRight);
  const ft = round2(frameTop);
  const fb = round2(frameBottom);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="${FONT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="chart-title" x="${round2(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect class="plot-area" x="${round2(left)}" y="${round2(top)}" width="${round2(plotWidth)}" height="${round2(plotHeight)}" fill="none" stroke="none"/>`,
  ];
  yAxis.values.forEach((value, i) => {
    const y = py(value);
    out.push(
      `<line class="grid" x1="${fl}" x2="${fr}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`,
      `<text class="y-tick" x="${round2(fl - 6)}" y="${round2(y + 4)}" text-anchor="end">${escapeXml(yAxis.labels[i] ?? "")}</text>`,
    );
  });
  xAxis.values.forEach((value, i) => {
    const x = px(value);
    out.push(
      `<line class="grid" x1="${x}" x2="${x}" y1="${ft}" y2="${fb}" stroke="#e4e4e4"/>`,
      `<text class="x-tick" x="${x}" y="${round2(fb + 16)}" text-anchor="middle">${escapeXml(xAxis.labels[i] ?? "")}</text>`,
    );
  });
  out.push(
    `<rect class="frame" x="${fl}" y="${ft}" width="${round2(fr - fl)}" height="${round2(fb - ft)}" fill="none" stroke="#555555"/>`,
    `<text class="x-label" x="${round2(left + plotWidth / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text class="y-label" transform="translate(14 ${round2(top + plotHeight / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  if (!hasData) {
    out.push(
      `<text class="no-data" x="${round2(left + plotWidth / 2)}" y="${round2(top + plotHeight / 2)}" text-anchor="middle" fill="#888888">no data</text>`,
    );
  }

  series.forEach((s, i) => {
    const colour = seriesColour(i);
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    for (const run of runs(s.band ?? [], ([x, lo, hi]) => Number.isFinite(x) && isValue(lo) && isValue(hi))) {
      if (run.length === 1) {
        const [x, lo, hi] = run[0] as [number, number, number];
        out.push(
          `<line class="band" x1="${px(x)}" x2="${px(x)}" y1="${py(lo)}" y2="${py(hi)}" stroke="${colour}" stroke-opacity="0.4" stroke-width="3"/>`,
        );
      } else {
        const upper = run.map(([x, , hi]) => `${px(x)},${py(hi as number)}`);
        const lower = run.map(([x, lo]) => `${px(x)},${py(lo as number)}`).reverse();
        out.push(
          `<path class="band" d="M${[...upper, ...lower].join(" L")} Z" fill="${colour}" fill-opacity="0.18" stroke="none"/>`,
        );
      }
    }
    for (const run of runs(s.points, ([x, y]) => Number.isFinite(x) && isValue(y))) {
      if (run.length === 1) {
        const [x, y] = run[0] as [number, number];
        out.push(`<circle class="point" cx="${px(x)}" cy="${py(y)}" r="2.5" fill="${colour}"/>`);
      } else {
        const points = run.map(([x, y]) => `${px(x)},${py(y as number)}`).join(" ");
        out.push(
          `<polyline class="line" points="${points}" fill="none" stroke="${colour}" stroke-width="1.8" stroke-linejoin="round"/>`,
        );
      }
    }
    out.push("</g>");
  });

  if (series.length > 0) {
    out.push(`<g class="legend">`);
    legend.names.forEach((name, i) => {
      const legendX = round2(frameRight + 12 + Math.floor(i / legend.rows) * legend.columnWidth);
      const y = frameTop + 8 + (i % legend.rows) * LEGEND_ROW;
      const colour = seriesColour(i);
      out.push(
        `<line x1="${legendX}" x2="${legendX + 18}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="3"/>`,
        `<text class="legend-entry" x="${legendX + 24}" y="${y + 4}" fill="#222222">${escapeXml(name)}</text>`,
      );
    });
    out.push("</g>");
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Metric names {@link writeRunPlots} looks for in each record; override any through its options. */
export type RunPlotKeys = {
  rewardMean: string;
  rewardStd: string;
  accuracy: string;
  formatRate: string;
  policyLoss: string;
  kl: string;
  cpl: string;
};

/**
 * The snake_case names the trainer writes (`rewardMean` -> `reward_mean`).
 *
 * @example
 * await writeRunPlots(runDir, records, { keys: { ...DEFAULT_RUN_PLOT_KEYS, kl: "kl_k3" } });
 */
export const DEFAULT_RUN_PLOT_KEYS: RunPlotKeys = {
  rewardMean: "reward_mean",
  rewardStd: "reward_std",
  accuracy: "accuracy",
  formatRate: "format_rate",
  policyLoss: "policy_loss",
  kl: "kl",
  cpl: "cpl",
};

/**
 * Draws a run's curves from its metrics records into `runDir` as SVG and PNG: `reward` (mean with a ± std
 * band), `accuracy` (accuracy and format rate, y axis at least 0..1) and `loss` (policy loss, kl, cpl). A
 * series appears only if some record has a finite value for it, a chart only if it has a series. A record
 * without the key is skipped; a null or NaN value is drawn as a gap. Returns the written paths.
 *
 * @example
 * const paths = await writeRunPlots("runs/a", await readMetrics("runs/a/metrics.jsonl"));
 * // ["runs/a/reward.svg", "runs/a/reward.png", "runs/a/accuracy.svg", ...]
 */
export async function writeRunPlots(
  runDir: string,
  records: MetricsRecord[],
  opts: { keys?: Partial<RunPlotKeys> } = {},
): Promise<string[]> {
  if (!Array.isArray(records))
    throw new Error(`writeRunPlots: records must be an array, got ${typeof records}`);
  const keys = { ...DEFAULT_RUN_PLOT_KEYS, ...opts.keys };
  records.forEach((record, i) => {
    if (typeof record?.step !== "number" || !Number.isFinite(record.step)) {
      throw new Error(
        `writeRunPlots: records[${i}].step must be a finite number, got ${String(record?.step)}`,
      );
    }
  });

  const rewardPoints = column(records, keys.rewardMean);
  const hasStd = records.some((r) => isValue(r[keys.rewardStd]));
  const rewardBand = records
    .filter((r) => keys.rewardMean in r)
    .map((r): [number, number | null, number | null] => {
      const mean = r[keys.rewardMean];
      const std = r[keys.rewardStd];
      return isValue(mean) && isValue(std) ? [r.step, mean - std, mean + std] : [r.step, null, null];
    });
  const charts: Array<{ file: string; chart: LineChart }> = [
    {
      file: "reward",
      chart: {
        title: "Reward",
        xLabel: "step",
        yLabel: "reward",
        series: present([
          {
            name: hasStd ? "reward mean ± std" : "reward mean",
            points: rewardPoints,
            ...(hasStd ? { band: rewardBand } : {}),
          },
        ]),
      },
    },
    {
      file: "accuracy",
      chart: {
        title: "Accuracy and format rate",
        xLabel: "step",
        yLabel: "rate",
        yRange: [0, 1],
        series: present([
          { name: "accuracy", points: column(records, keys.accuracy) },
          { name: "format rate", points: column(records, keys.formatRate) },
        ]),
      },
    },
    {
      file: "loss",
      chart: {
        title: "Losses",
        xLabel: "step",
        yLabel: "loss",
        series: present([
          { name: "policy loss", points: column(records, keys.policyLoss) },
          { name: "kl", points: column(records, keys.kl) },
          { name: "cpl", points: column(records, keys.cpl) },
        ]),
      },
    },
  ];

  await mkdir(runDir, { recursive: true });
  const written: string[] = [];
  for (const { file, chart } of charts) {
    if (chart.series.length === 0) continue;
    const svg = renderLineChartSvg(chart);
    const svgPath = join(runDir, `${file}.svg`);
    const pngPath = join(runDir, `${file}.png`);
    await writeFileAtomic(svgPath, svg);
    await writeFileAtomic(pngPath, await sharp(Buffer.from(svg)).png().toBuffer());
    written.push(svgPath, pngPath);
  }
  return written;
}

function column(records: MetricsRecord[], key: string): Array<[number, number | null]> {
  return records
    .filter((r) => key in r)
    .map((r) => {
      const value = r[key];
      return [r.step, typeof value === "number" ? value : null];
    });
}

function present(series: ChartSeries[]): ChartSeries[] {
  return series.filter((s) => s.points.some(([, y]) => isValue(y)));
}

function checkSeries(s: ChartSeries, i: number): void {
  if (typeof s?.name !== "string") {
    throw new Error(`renderLineChartSvg: series[${i}].name must be a string, got ${typeof s?.name}`);
  }
  if (!Array.isArray(s.points)) {
    throw new Error(`renderLineChartSvg: series[${i}] ("${s.name}").points must be an array of [x, y]`);
  }
  s.points.forEach((p, j) => {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new Error(
        `renderLineChartSvg: series[${i}] ("${s.name}").points[${j}] must be [x, y], got ${JSON.stringify(p)}`,
      );
    }
  });
  s.band?.forEach((b, j) => {
    if (!Array.isArray(b) || b.length !== 3) {
      throw new Error(
        `renderLineChartSvg: series[${i}] ("${s.name}").band[${j}] must be [x, lo, hi], got ${JSON.stringify(b)}`,
      );
    }
  });
}

function isValue(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Sorts by x (dropping rows with NaN x) and splits into runs of drawable rows; an undrawable row is a gap. */
function runs<T extends [number, ...unknown[]]>(rows: T[], drawable: (row: T) => boolean): T[][] {
  const sorted = rows.filter((row) => !Number.isNaN(row[0])).sort((a, b) => a[0] - b[0]);
  const out: T[][] = [];
  let current: T[] = [];
  for (const row of sorted) {
    if (drawable(row)) current.push(row);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Legend entries in as many columns as the plot height needs, names cut to fit 45% of the width. */
function legendLayout(names: string[], width: number, frameHeight: number) {
  if (names.length === 0) return { names, rows: 1, columnWidth: 0, width: 0 };
  const rows = Math.max(1, Math.floor((frameHeight - 4) / LEGEND_ROW));
  const columns = Math.ceil(names.length / rows);
  const fitChars = Math.floor(((0.45 * width - 16) / columns - 34) / CHAR_WIDTH);
  const cut = names.map((name) => truncate(name, Math.max(4, Math.min(LEGEND_MAX_CHARS, fitChars))));
  const columnWidth = 34 + Math.max(...cut.map((name) => [...name].length)) * CHAR_WIDTH;
  return { names: cut, rows, columnWidth, width: columns * columnWidth };
}

function minOf(values: number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < min) min = v;
  return min;
}

function maxOf(values: number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  return max;
}

function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join("")}…`;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
