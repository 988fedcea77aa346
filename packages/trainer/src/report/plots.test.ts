import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MetricsRecord } from "./metrics-log";
import { type LineChart, renderLineChartSvg, writeRunPlots } from "./plots";
import { byClass, insideOf, num, parseSvg, pointPairs, type SvgElement } from "./test-svg";

/** The plot area and the axis domains read back from the SVG: domains from the first and last tick labels. */
function frameOf(elements: SvgElement[]) {
  const area = byClass(elements, "plot-area")[0];
  const xTicks = byClass(elements, "x-tick").map((e) => Number(e.text));
  const yTicks = byClass(elements, "y-tick").map((e) => Number(e.text));
  const [X, Y, W, H] = [num(area, "x"), num(area, "y"), num(area, "width"), num(area, "height")];
  const [xlo = 0, xhi = 0] = [xTicks[0], xTicks[xTicks.length - 1]];
  const [ylo = 0, yhi = 0] = [yTicks[0], yTicks[yTicks.length - 1]];
  return {
    X,
    Y,
    W,
    H,
    xTicks,
    yTicks,
    px: (x: number) => X + ((x - xlo) / (xhi - xlo)) * W,
    py: (y: number) => Y + ((yhi - y) / (yhi - ylo)) * H,
  };
}

function seriesGroup(elements: SvgElement[], name: string): SvgElement {
  const group = byClass(elements, "series").find((g) => g.attrs["data-name"] === name);
  if (!group) throw new Error(`no series ${name}`);
  return group;
}

function inGroup(elements: SvgElement[], group: SvgElement, className: string): SvgElement[] {
  return byClass(elements, className).filter((e) => insideOf(e, group));
}

function expectEvenlySpacedRound(ticks: number[]) {
  const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
  ticks.forEach((t, i) => {
    expect(t).toBeCloseTo((ticks[0] ?? 0) + i * step, 9);
  });
}

const ramp: LineChart = {
  title: "ramp",
  xLabel: "step",
  yLabel: "value",
  series: [{ name: "a", points: Array.from({ length: 11 }, (_, x) => [x, x / 10] as [number, number]) }],
};

describe("renderLineChartSvg", () => {
  it("maps each point to pixels: px = X + x/10 * W, py = Y + (1 - y) * H for data on [0,10] x [0,1]", () => {
    const elements = parseSvg(renderLineChartSvg(ramp));
    const { X, Y, W, H, xTicks, yTicks } = frameOf(elements);
    expect([xTicks[0], xTicks[xTicks.length - 1]]).toEqual([0, 10]);
    expect([yTicks[0], yTicks[yTicks.length - 1]]).toEqual([0, 1]);
    expectEvenlySpacedRound(xTicks);
    expectEvenlySpacedRound(yTicks);
    const lines = inGroup(elements, seriesGroup(elements, "a"), "line");
    expect(lines).toHaveLength(1);
    const drawn = pointPairs(lines[0]?.attrs.points ?? "");
    expect(drawn).toHaveLength(11);
    drawn.forEach(([px, py], x) => {
      expect(px).toBeCloseTo(X + (x / 10) * W, 1);
      expect(py).toBeCloseTo(Y + (1 - x / 10) * H, 1);
    });
  });

  it("puts every tick label at its value's pixel", () => {
    const elements = parseSvg(
      renderLineChartSvg({
        ...ramp,
        series: [
          {
            name: "b",
            points: [
              [3, -0.013],
              [97, 0.042],
            ],
          },
        ],
      }),
    );
    const frame = frameOf(elements);
    expectEvenlySpacedRound(frame.xTicks);
    expect(frame.xTicks[0]).toBeLessThanOrEqual(3);
    expect(frame.xTicks[frame.xTicks.length - 1]).toBeGreaterThanOrEqual(97);
    for (const tick of byClass(elements, "x-tick"))
      expect(num(tick, "x")).toBeCloseTo(frame.px(Number(tick.text)), 1);
    // y labels sit 4 px below their grid line to centre the text
    for (const tick of byClass(elements, "y-tick"))
      expect(num(tick, "y") - 4).toBeCloseTo(frame.py(Number(tick.text)), 1);
    const [[, y0] = [0, 0], [, y1] = [0, 0]] = pointPairs(byClass(elements, "line")[0]?.attrs.points ?? "");
    expect(y0).toBeCloseTo(frame.py(-0.013), 1);
    expect(y1).toBeCloseTo(frame.py(0.042), 1);
  });

  it("breaks the line at null and NaN, drawing an isolated point as a dot", () => {
    const points = Array.from({ length: 11 }, (_, x) => [x, x / 10] as [number, number | null]);
    points[4] = [4, null];
    points[6] = [6, Number.NaN];
    const elements = parseSvg(renderLineChartSvg({ ...ramp, series: [{ name: "a", points }] }));
    const frame = frameOf(elements);
    const group = seriesGroup(elements, "a");
    const runs = inGroup(elements, group, "line").map((l) => pointPairs(l.attrs.points ?? ""));
    expect(runs.map((run) => run.map(([px]) => Math.round(((px - frame.X) / frame.W) * 10)))).toEqual([
      [0, 1, 2, 3],
      [7, 8, 9, 10],
    ]);
    const dots = inGroup(elements, group, "point");
    expect(dots).toHaveLength(1);
    expect(num(dots[0], "cx")).toBeCloseTo(frame.px(5), 1);
    expect(num(dots[0], "cy")).toBeCloseTo(frame.py(0.5), 1);
  });

  it("draws points in x order whatever order they come in", () => {
    const elements = parseSvg(
      renderLineChartSvg({
        ...ramp,
        series: [
          {
            name: "a",
            points: [
              [2, 1],
              [0, 0],
              [1, 3],
            ],
          },
        ],
      }),
    );
    const xs = pointPairs(byClass(elements, "line")[0]?.attrs.points ?? "").map(([px]) => px);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("shades a band from lo to hi: upper edge left to right, then lower edge back", () => {
    const elements = parseSvg(
      renderLineChartSvg({
        ...ramp,
        series: [
          {
            name: "m",
            points: [
              [0, 0.5],
              [10, 0.6],
            ],
            band: [
              [0, 0.2, 0.8],
              [10, 0.4, 0.9],
            ],
          },
        ],
      }),
    );
    const frame = frameOf(elements);
    const band = inGroup(elements, seriesGroup(elements, "m"), "band")[0];
    const corners = (band?.attrs.d ?? "")
      .replace(/[MLZ]/g, " ")
      .trim()
      .split(/\s+/)
      .map((p) => p.split(",").map(Number));
    const expected = [
      [0, 0.8],
      [10, 0.9],
      [10, 0.4],
      [0, 0.2],
    ];
    expect(corners).toHaveLength(4);
    corners.forEach(([px = 0, py = 0], i) => {
      const [x = 0, y = 0] = expected[i] ?? [];
      expect(px).toBeCloseTo(frame.px(x), 1);
      expect(py).toBeCloseTo(frame.py(y), 1);
    });
    // the band is inside the axis range
    expect(frame.yTicks[frame.yTicks.length - 1]).toBeGreaterThanOrEqual(0.9);
  });

  it("draws a single point as a dot on a widened axis", () => {
    const elements = parseSvg(renderLineChartSvg({ ...ramp, series: [{ name: "one", points: [[5, 0.3]] }] }));
    const frame = frameOf(elements);
    expect(frame.xTicks[0]).toBeLessThan(5);
    expect(frame.xTicks[frame.xTicks.length - 1]).toBeGreaterThan(5);
    expect(frame.yTicks[0]).toBeLessThan(0.3);
    const dot = byClass(elements, "point")[0];
    expect(num(dot, "cx")).toBeCloseTo(frame.px(5), 1);
    expect(num(dot, "cy")).toBeCloseTo(frame.py(0.3), 1);
    expect(byClass(elements, "line")).toHaveLength(0);
  });

  it("draws a constant series as a flat line strictly inside the plot area", () => {
    const elements = parseSvg(
      renderLineChartSvg({
        ...ramp,
        series: [
          {
            name: "c",
            points: [
              [0, 0.7],
              [5, 0.7],
              [10, 0.7],
            ],
          },
        ],
      }),
    );
    const frame = frameOf(elements);
    const ys = pointPairs(byClass(elements, "line")[0]?.attrs.points ?? "").map(([, py]) => py);
    expect(new Set(ys).size).toBe(1);
    expect(ys[0]).toBeCloseTo(frame.py(0.7), 1);
    expect(ys[0]).toBeGreaterThan(frame.Y);
    expect(ys[0]).toBeLessThan(frame.Y + frame.H);
  });

  it("says 'no data' when there is nothing to draw, and still renders", async () => {
    const empty = renderLineChartSvg({ ...ramp, series: [{ name: "nothing", points: [[1, null]] }] });
    const elements = parseSvg(empty);
    expect(byClass(elements, "no-data")[0]?.text).toBe("no data");
    expect(byClass(elements, "legend-entry").map((e) => e.text)).toEqual(["nothing"]);
    const none = renderLineChartSvg({ ...ramp, series: [] });
    expect(byClass(parseSvg(none), "legend-entry")).toHaveLength(0);
    expect((await sharp(Buffer.from(none)).metadata()).width).toBe(720);
  });

  it("gives many series distinct colours and a legend entry each, in a second column when needed", () => {
    const series = Array.from({ length: 24 }, (_, i) => ({
      name: `run ${i}`,
      points: [
        [0, i],
        [1, i + 1],
      ] as Array<[number, number]>,
    }));
    const elements = parseSvg(renderLineChartSvg({ ...ramp, series }));
    const strokes = byClass(elements, "line").map((l) => l.attrs.stroke);
    expect(new Set(strokes).size).toBe(24);
    const entries = byClass(elements, "legend-entry");
    expect(entries.map((e) => e.text)).toEqual(series.map((s) => s.name));
    expect(new Set(entries.map((e) => e.attrs.x)).size).toBe(2);
    // each legend swatch has its series' colour
    const swatches = elements.filter((e) => e.tag === "line" && e.parent?.attrs.class === "legend");
    expect(swatches.map((s) => s.attrs.stroke)).toEqual(strokes);
  });

  it("escapes text and reads back the original strings", () => {
    const name = `kl <ref> & "π" 'q'`;
    const elements = parseSvg(
      renderLineChartSvg({
        title: "a < b & c",
        xLabel: "x>0",
        yLabel: "y & z",
        series: [{ name, points: [[0, 1]] }],
      }),
    );
    expect(byClass(elements, "chart-title")[0]?.text).toBe("a < b & c");
    expect(byClass(elements, "x-label")[0]?.text).toBe("x>0");
    expect(byClass(elements, "y-label")[0]?.text).toBe("y & z");
    expect(byClass(elements, "legend-entry")[0]?.text).toBe(name);
    expect(seriesGroup(elements, name)).toBeDefined();
  });

  it("uses yRange for the axis even with no data", () => {
    const { yTicks } = frameOf(parseSvg(renderLineChartSvg({ ...ramp, yRange: [-2, 2], series: [] })));
    expect([yTicks[0], yTicks[yTicks.length - 1]]).toEqual([-2, 2]);
  });

  it("includes yRange in the axis", () => {
    const elements = parseSvg(
      renderLineChartSvg({
        ...ramp,
        yRange: [0, 1],
        series: [
          {
            name: "acc",
            points: [
              [0, 0.42],
              [1, 0.45],
            ],
          },
        ],
      }),
    );
    const { yTicks } = frameOf(elements);
    expect([yTicks[0], yTicks[yTicks.length - 1]]).toEqual([0, 1]);
  });

  it("renders to a PNG of the requested size", async () => {
    const svg = renderLineChartSvg({ ...ramp, width: 500, height: 300 });
    const meta = await sharp(Buffer.from(svg)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["svg", 500, 300]);
    const png = await sharp(await sharp(Buffer.from(svg)).png().toBuffer()).metadata();
    expect([png.format, png.width, png.height]).toEqual(["png", 500, 300]);
  });

  it("rejects bad sizes and malformed points, naming the series", () => {
    expect(() => renderLineChartSvg({ ...ramp, width: 100 })).toThrow(
      "width must be an integer >= 240, got 100",
    );
    expect(() => renderLineChartSvg({ ...ramp, height: 1.5 })).toThrow(
      "height must be an integer >= 160, got 1.5",
    );
    expect(() =>
      renderLineChartSvg({
        ...ramp,
        series: [ramp.series[0] as never, { name: "b", points: [[1, 2, 3]] as never }],
      }),
    ).toThrow('series[1] ("b").points[0] must be [x, y], got [1,2,3]');
    expect(() => renderLineChartSvg({ ...ramp, yRange: [1, 0] })).toThrow("yRange must be finite [lo, hi]");
  });
});

describe("writeRunPlots", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cppo-plots-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const records: MetricsRecord[] = Array.from({ length: 6 }, (_, step) => ({
    step,
    reward_mean: 0.1 * step,
    reward_std: 0.05,
    accuracy: 0.1 + 0.05 * step,
    policy_loss: -0.01 * step,
    kl: 0.001 * step,
  }));

  it("writes reward, accuracy and loss as SVG and PNG with only the series present", async () => {
    const paths = await writeRunPlots(dir, records);
    expect(paths).toEqual(
      ["reward", "accuracy", "loss"].flatMap((f) => [join(dir, `${f}.svg`), join(dir, `${f}.png`)]),
    );
    expect((await readdir(dir)).sort()).toEqual(paths.map((p) => p.slice(dir.length + 1)).sort());
    for (const png of paths.filter((p) => p.endsWith(".png"))) {
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["png", 720, 400]);
    }
    const legend = async (file: string) =>
      byClass(parseSvg(await readFile(join(dir, file), "utf8")), "legend-entry").map((e) => e.text);
    expect(await legend("reward.svg")).toEqual(["reward mean ± std"]);
    expect(await legend("accuracy.svg")).toEqual(["accuracy"]);
    expect(await legend("loss.svg")).toEqual(["policy loss", "kl"]);
  });

  it("draws the reward band at mean ± std", async () => {
    await writeRunPlots(dir, records);
    const elements = parseSvg(await readFile(join(dir, "reward.svg"), "utf8"));
    const frame = frameOf(elements);
    const d = byClass(elements, "band")[0]?.attrs.d ?? "";
    const corners = d
      .replace(/[MLZ]/g, " ")
      .trim()
      .split(/\s+/)
      .map((p) => p.split(",").map(Number));
    // upper edge: (step, 0.1 step + 0.05) for steps 0..5, then lower edge (step, 0.1 step - 0.05) for 5..0
    const expected = [
      ...[0, 1, 2, 3, 4, 5].map((s) => [s, 0.1 * s + 0.05]),
      ...[5, 4, 3, 2, 1, 0].map((s) => [s, 0.1 * s - 0.05]),
    ];
    expect(corners).toHaveLength(12);
    corners.forEach(([px = 0, py = 0], i) => {
      expect(px).toBeCloseTo(frame.px(expected[i]?.[0] ?? 0), 1);
      expect(py).toBeCloseTo(frame.py(expected[i]?.[1] ?? 0), 1);
    });
  });

  it("skips records without the key but breaks the line at null or NaN", async () => {
    const sparse: MetricsRecord[] = [
      { step: 0, accuracy: 0.1 },
      { step: 1 },
      { step: 2, accuracy: 0.3 },
      { step: 3, accuracy: null },
      { step: 4, accuracy: 0.5 },
      { step: 5, accuracy: Number.NaN },
      { step: 6, format_rate: 1 },
    ];
    const paths = await writeRunPlots(dir, sparse);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(["accuracy.svg", "accuracy.png"]);
    const elements = parseSvg(await readFile(join(dir, "accuracy.svg"), "utf8"));
    const frame = frameOf(elements);
    const group = seriesGroup(elements, "accuracy");
    const line = pointPairs(inGroup(elements, group, "line")[0]?.attrs.points ?? "");
    expect(line.map(([px]) => px)).toEqual([expect.closeTo(frame.px(0), 1), expect.closeTo(frame.px(2), 1)]);
    const dots = inGroup(elements, group, "point");
    expect(dots.map((d) => num(d, "cx"))).toEqual([expect.closeTo(frame.px(4), 1)]);
    // rates are drawn on an axis that spans at least 0..1
    expect([frame.yTicks[0], frame.yTicks[frame.yTicks.length - 1]]).toEqual([0, 1]);
  });

  it("leaves out series whose values are all null, charts with no series, and honours custom keys", async () => {
    const paths = await writeRunPlots(
      dir,
      [
        { step: 1, loss_pg: 0.5, cpl: null },
        { step: 2, loss_pg: 0.4, cpl: null },
      ],
      { keys: { policyLoss: "loss_pg" } },
    );
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(["loss.svg", "loss.png"]);
    const legend = byClass(parseSvg(await readFile(join(dir, "loss.svg"), "utf8")), "legend-entry");
    expect(legend.map((e) => e.text)).toEqual(["policy loss"]);
    expect(await writeRunPlots(join(dir, "empty"), [])).toEqual([]);
  });

  it("rejects a record without a numeric step", async () => {
    await expect(writeRunPlots(dir, [{ step: 0 }, { kl: 1 } as never])).rejects.toThrow(
      "writeRunPlots: records[1].step must be a finite number, got undefined",
    );
  });
});
