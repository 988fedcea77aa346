import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import sharp from "sharp";
import { writeFileAtomic } from "./atomic-write";
import { displayWidth } from "./display-width";
import { escapeXml } from "./escape-xml";
import { formatNumber } from "./format-number";

export type PerceptionPictureOptions = {
  title?: string;
  /** The response's tokens as text, in order. */
  tokens: string[];
  /** `[T]`: tokens detected as perception tokens (highlighted). */
  selected: boolean[];
  /** `[T]`: optional ground truth (underlined), which also adds precision and recall to the subtitle. */
  truth?: boolean[];
  /** Pixels; default 960. */
  width?: number;
};

const FONT = 14;
const CHAR_WIDTH = 0.61 * FONT; // DejaVu Sans Mono's advance is 0.602 em
const BOX_HEIGHT = 22;
const BOX_PAD = 4;
const BOX_GAP = 3;
const ROW_HEIGHT = BOX_HEIGHT + 12;
const MARGIN = 16;
const HEADER = 92;
const SELECTED_FILL = "#ffb74d";
const SELECTED_STROKE = "#e65100";
const PLAIN_FILL = "#f4f4f4";
const PLAIN_STROKE = "#c8c8c8";
const TRUTH_COLOUR = "#1565c0";

/**
 * Draws a response as a row-wrapped sequence of token boxes: detected perception tokens filled orange, the
 * rest grey, ground-truth perception tokens underlined in blue. Spaces show as `·`, newlines as `↵` (and
 * start a new row), tabs as `→`; all text is XML-escaped. The subtitle counts the tokens and, with `truth`,
 * gives precision (true among selected) and recall (selected among true).
 *
 * @example
 * const svg = renderPerceptionTokensSvg({
 *   tokens: ["The", " angle", " is", " 40", "°"],
 *   selected: [false, true, false, true, false],
 *   truth: [false, false, false, true, true],
 * });
 */
export function renderPerceptionTokensSvg(opts: PerceptionPictureOptions): string {
  const { title = "Perception tokens", tokens, selected, truth, width = 960 } = opts;
  if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== "string")) {
    throw new Error("renderPerceptionTokensSvg: tokens must be an array of strings");
  }
  checkMask("selected", selected, tokens.length);
  if (truth !== undefined) checkMask("truth", truth, tokens.length);
  if (!Number.isInteger(width) || width < 320) {
    throw new Error(`renderPerceptionTokensSvg: width must be an integer >= 320, got ${width}`);
  }

  const rowWidth = width - 2 * MARGIN;
  const maxChars = Math.floor((rowWidth - 2 * BOX_PAD) / CHAR_WIDTH);
  const boxes: Array<{ x: number; row: number; w: number; label: string }> = [];
  let x = 0;
  let row = 0;
  tokens.forEach((token, i) => {
    const label = fitChars(visible(token), maxChars);
    const w = displayWidth(label) * CHAR_WIDTH + 2 * BOX_PAD;
    if (x > 0 && x + w > rowWidth) {
      row++;
      x = 0;
    }
    boxes.push({ x, row, w, label });
    x += w + BOX_GAP;
    if (token.includes("\n") && i < tokens.length - 1) {
      row++;
      x = 0;
    }
  });
  const rows = Math.max(1, row + 1);
  const height = HEADER + rows * ROW_HEIGHT + MARGIN;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${MARGIN}" y="26" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text class="subtitle" x="${MARGIN}" y="48" fill="#444444">${escapeXml(subtitle(selected, truth))}</text>`,
    ...legend(truth !== undefined),
  ];
  if (tokens.length === 0) {
    out.push(`<text class="empty" x="${MARGIN}" y="${HEADER + 16}" fill="#888888">(empty response)</text>`);
  }
  boxes.forEach(({ x: bx, row: r, w, label }, i) => {
    const left = round2(MARGIN + bx);
    const top = HEADER + r * ROW_HEIGHT;
    const isSelected = selected[i] === true;
    const isTrue = truth?.[i] === true;
    out.push(
      `<g class="token" data-index="${i}" data-selected="${isSelected}" data-truth="${isTrue}">`,
      `<rect x="${left}" y="${top}" width="${round2(w)}" height="${BOX_HEIGHT}" rx="3" fill="${isSelected ? SELECTED_FILL : PLAIN_FILL}" stroke="${isSelected ? SELECTED_STROKE : PLAIN_STROKE}"/>`,
      `<text x="${round2(left + BOX_PAD)}" y="${top + 16}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${FONT}" xml:space="preserve">${escapeXml(label)}</text>`,
    );
    if (isTrue) {
      const y = top + BOX_HEIGHT + 4;
      out.push(
        `<line class="truth" x1="${left}" x2="${round2(left + w)}" y1="${y}" y2="${y}" stroke="${TRUTH_COLOUR}" stroke-width="3"/>`,
      );
    }
    out.push("</g>");
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/**
 * Renders {@link renderPerceptionTokensSvg} to `pathWithoutExt`.svg and `pathWithoutExt`.png (creating the
 * folder) and returns both paths.
 *
 * @example
 * await writePerceptionPicture("runs/a/perception", { tokens, selected, truth });
 * // ["runs/a/perception.svg", "runs/a/perception.png"]
 */
export async function writePerceptionPicture(
  pathWithoutExt: string,
  opts: PerceptionPictureOptions,
): Promise<string[]> {
  const svg = renderPerceptionTokensSvg(opts);
  await mkdir(dirname(pathWithoutExt), { recursive: true });
  const svgPath = `${pathWithoutExt}.svg`;
  const pngPath = `${pathWithoutExt}.png`;
  await writeFileAtomic(svgPath, svg);
  await writeFileAtomic(pngPath, await sharp(Buffer.from(svg)).png().toBuffer());
  return [svgPath, pngPath];
}

function checkMask(name: string, mask: unknown, length: number): void {
  if (!Array.isArray(mask) || mask.some((m) => typeof m !== "boolean")) {
    throw new Error(`renderPerceptionTokensSvg: ${name} must be an array of booleans, one per token`);
  }
  if (mask.length !== length) {
    throw new Error(
      `renderPerceptionTokensSvg: ${name} has ${mask.length} entries but tokens has ${length}; expected one per token`,
    );
  }
}

function subtitle(selected: boolean[], truth: boolean[] | undefined): string {
  const picked = selected.filter(Boolean).length;
  const parts = [`${selected.length} tokens`, `${picked} selected`];
  if (truth) {
    const truePositives = selected.filter((s, i) => s && truth[i]).length;
    const actual = truth.filter(Boolean).length;
    parts.push(
      `${actual} true`,
      `precision ${picked > 0 ? formatNumber(truePositives / picked, 3) : "n/a"}`,
      `recall ${actual > 0 ? formatNumber(truePositives / actual, 3) : "n/a"}`,
    );
  }
  return parts.join(" · ");
}

function legend(withTruth: boolean): string[] {
  const y = 62;
  const out = [
    `<rect x="${MARGIN}" y="${y}" width="18" height="14" rx="3" fill="${SELECTED_FILL}" stroke="${SELECTED_STROKE}"/>`,
    `<text x="${MARGIN + 24}" y="${y + 11}" font-size="12">detected perception token</text>`,
  ];
  if (withTruth) {
    const x = MARGIN + 220;
    out.push(
      `<line x1="${x}" x2="${x + 18}" y1="${y + 12}" y2="${y + 12}" stroke="${TRUTH_COLOUR}" stroke-width="3"/>`,
      `<text x="${x + 24}" y="${y + 11}" font-size="12">ground truth</text>`,
    );
  }
  return out;
}

function visible(token: string): string {
  if (token === "") return "∅";
  return token.replace(/ /g, "·").replace(/\r?\n/g, "↵").replace(/\t/g, "→");
}

function fitChars(label: string, maxColumns: number): string {
  if (displayWidth(label) <= maxColumns) return label;
  let out = "";
  for (const char of label) {
    if (displayWidth(`${out}${char}`) > maxColumns - 1) break;
    out += char;
  }
  return `${out}…`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
