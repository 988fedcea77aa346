import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderPerceptionTokensSvg, writePerceptionPicture } from "./perception-picture";
import { byClass, insideOf, num, parseSvg, type SvgElement } from "./test-svg";

function tokenBoxes(elements: SvgElement[]) {
  return byClass(elements, "token").map((group) => {
    const inside = elements.filter((e) => insideOf(e, group));
    const rect = inside.find((e) => e.tag === "rect");
    return {
      index: Number(group.attrs["data-index"]),
      selected: group.attrs["data-selected"] === "true",
      truth: group.attrs["data-truth"] === "true",
      text: inside.find((e) => e.tag === "text")?.text,
      fill: rect?.attrs.fill,
      underlined: inside.some((e) => e.attrs.class === "truth"),
      x: num(rect, "x"),
      y: num(rect, "y"),
      w: num(rect, "width"),
    };
  });
}

describe("renderPerceptionTokensSvg", () => {
  const tokens = ["The", " angle", " is", " 40", "°", "."];
  const selected = [false, true, false, true, true, false];
  const truth = [false, false, false, true, false, false];

  it("draws one box per token, highlighting selected and underlining true ones", () => {
    const boxes = tokenBoxes(parseSvg(renderPerceptionTokensSvg({ tokens, selected, truth })));
    expect(boxes.map((b) => b.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(boxes.map((b) => b.text)).toEqual(["The", "·angle", "·is", "·40", "°", "."]);
    expect(boxes.map((b) => b.selected)).toEqual(selected);
    expect(boxes.map((b) => b.underlined)).toEqual(truth);
    const fills = new Set(boxes.filter((b) => b.selected).map((b) => b.fill));
    const plainFills = new Set(boxes.filter((b) => !b.selected).map((b) => b.fill));
    expect(fills.size).toBe(1);
    expect(plainFills.size).toBe(1);
    expect([...fills][0]).not.toBe([...plainFills][0]);
  });

  it("states counts, precision (true among selected) and recall (selected among true)", () => {
    // selected {1, 3, 4}, true {3}: precision 1/3, recall 1/1
    const elements = parseSvg(renderPerceptionTokensSvg({ tokens, selected, truth, title: "step 7" }));
    expect(byClass(elements, "title")[0]?.text).toBe("step 7");
    expect(byClass(elements, "subtitle")[0]?.text).toBe(
      "6 tokens · 3 selected · 1 true · precision 0.333 · recall 1",
    );
    const noTruth = parseSvg(renderPerceptionTokensSvg({ tokens, selected }));
    expect(byClass(noTruth, "subtitle")[0]?.text).toBe("6 tokens · 3 selected");
    const none = parseSvg(renderPerceptionTokensSvg({ tokens, selected: tokens.map(() => false), truth }));
    expect(byClass(none, "subtitle")[0]?.text).toBe(
      "6 tokens · 0 selected · 1 true · precision n/a · recall 0",
    );
  });

  it("sizes boxes by character count and wraps rows inside the width", () => {
    const many = Array.from({ length: 60 }, (_, i) => "x".repeat(1 + (i % 7)));
    const width = 480;
    const boxes = tokenBoxes(
      parseSvg(renderPerceptionTokensSvg({ tokens: many, selected: many.map(() => false), width })),
    );
    // monospace: width = a + b * chars, the same a and b for every box
    const b = (boxes[1]?.w ?? 0) - (boxes[0]?.w ?? 0);
    const a = (boxes[0]?.w ?? 0) - b;
    expect(b).toBeGreaterThan(5);
    boxes.forEach((box, i) => {
      expect(box.w).toBeCloseTo(a + b * (many[i]?.length ?? 0), 1);
    });
    const rows = [...new Set(boxes.map((box) => box.y))];
    expect(rows.length).toBeGreaterThan(2);
    for (let i = 0; i < boxes.length; i++) {
      const box = boxes[i] as (typeof boxes)[number];
      expect(box.x).toBeGreaterThanOrEqual(16);
      expect(box.x + box.w).toBeLessThanOrEqual(width - 16 + 0.01);
      const next = boxes[i + 1];
      if (next && next.y === box.y) expect(next.x).toBeGreaterThan(box.x + box.w);
      if (next && next.y !== box.y) expect(next.y).toBeGreaterThan(box.y);
    }
  });

  it("starts a new row after a newline token and shows whitespace visibly", () => {
    const boxes = tokenBoxes(
      parseSvg(
        renderPerceptionTokensSvg({
          tokens: ["a", "\n", "b", "\t", ""],
          selected: [false, false, false, false, false],
        }),
      ),
    );
    expect(boxes.map((b) => b.text)).toEqual(["a", "↵", "b", "→", "∅"]);
    expect(boxes[0]?.y).toBe(boxes[1]?.y);
    expect(boxes[2]?.y).toBeGreaterThan(boxes[1]?.y ?? 0);
  });

  it("cuts a token longer than a row with an ellipsis", () => {
    const long = "y".repeat(500);
    const [box] = tokenBoxes(
      parseSvg(renderPerceptionTokensSvg({ tokens: [long], selected: [true], width: 400 })),
    );
    expect(box?.text?.endsWith("…")).toBe(true);
    expect((box?.x ?? 0) + (box?.w ?? 0)).toBeLessThanOrEqual(400 - 16 + 0.01);
  });

  it("escapes markup and replaces characters XML cannot hold, and the result renders", async () => {
    const weird = ["<think>", "a&b", '"q"', "\u0007", "</svg>"];
    const svg = renderPerceptionTokensSvg({
      tokens: weird,
      selected: [true, false, false, false, true],
      title: "<&>",
    });
    const elements = parseSvg(svg);
    expect(tokenBoxes(elements).map((b) => b.text)).toEqual(["<think>", "a&b", '"q"', "\uFFFD", "</svg>"]);
    expect(byClass(elements, "title")[0]?.text).toBe("<&>");
    const meta = await sharp(Buffer.from(svg)).png().toBuffer();
    expect((await sharp(meta).metadata()).width).toBe(960);
  });

  it("handles an empty response", () => {
    const elements = parseSvg(renderPerceptionTokensSvg({ tokens: [], selected: [], truth: [] }));
    expect(byClass(elements, "empty")[0]?.text).toBe("(empty response)");
    expect(byClass(elements, "subtitle")[0]?.text).toBe(
      "0 tokens · 0 selected · 0 true · precision n/a · recall n/a",
    );
  });

  it("rejects masks that do not match the tokens", () => {
    expect(() => renderPerceptionTokensSvg({ tokens: ["a", "b"], selected: [true] })).toThrow(
      "selected has 1 entries but tokens has 2; expected one per token",
    );
    expect(() =>
      renderPerceptionTokensSvg({ tokens: ["a"], selected: [true], truth: [1 as unknown as boolean] }),
    ).toThrow("truth must be an array of booleans, one per token");
    expect(() => renderPerceptionTokensSvg({ tokens: [3 as unknown as string], selected: [true] })).toThrow(
      "tokens must be an array of strings",
    );
  });
});

describe("writePerceptionPicture", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cppo-perception-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes matching .svg and .png files and returns their paths", async () => {
    const base = join(dir, "sub", "perception");
    const paths = await writePerceptionPicture(base, {
      tokens: ["x", " =", " 5"],
      selected: [false, false, true],
    });
    expect(paths).toEqual([`${base}.svg`, `${base}.png`]);
    expect((await readdir(join(dir, "sub"))).sort()).toEqual(["perception.png", "perception.svg"]);
    const svg = await readFile(`${base}.svg`, "utf8");
    const root = parseSvg(svg)[0];
    const meta = await sharp(`${base}.png`).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", num(root, "width"), num(root, "height")]);
  });
});
