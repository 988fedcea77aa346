import type { RawImage } from "./image-io";

/**
 * Projective map from OUTPUT pixel (x, y) to INPUT pixel, in tf.image.transform's layout
 * `[a0, a1, a2, b0, b1, b2, c0, c1]`: in = ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),
 * k = c0 x + c1 y + 1. Pixel centres sit at integer coordinates.
 */
export type Projective = [number, number, number, number, number, number, number, number];

/**
 * Inverse-maps every output pixel through `transform` with bilinear sampling, reading `fill` ([r, g, b] in
 * 0..255) outside the image; the same arithmetic as tf.image.transform(..., "bilinear", "constant", fill),
 * so both paths agree.
 */
export function warpRaw(
  raw: RawImage,
  transform: Projective,
  fill: readonly [number, number, number] = [0, 0, 0],
): RawImage {
  const { width, height, data } = raw;
  const [a0, a1, a2, b0, b1, b2, c0, c1] = transform;
  const out = new Uint8Array(data.length);
  const [f0, f1, f2] = fill;
  if (f0 !== 0 || f1 !== 0 || f2 !== 0) {
    for (let p = 0; p < out.length; p += 3) {
      out[p] = f0 + 0.5;
      out[p + 1] = f1 + 0.5;
      out[p + 2] = f2 + 0.5;
    }
  }
  const stride = width * 3;
  const lastX = width - 1;
  const lastY = height - 1;
  const affine = c0 === 0 && c1 === 0;
  let o = 0;
  for (let y = 0; y < height; y++) {
    // Numerators and denominator step linearly along a row; only the projective case divides.
    let nx = a1 * y + a2;
    let ny = b1 * y + b2;
    let k = c1 * y + 1;
    for (let x = 0; x < width; x++, o += 3, nx += a0, ny += b0, k += c0) {
      let inX = nx;
      let inY = ny;
      if (!affine) {
        if (k === 0) continue;
        inX = nx / k;
        inY = ny / k;
      }
      if (inX >= 0 && inY >= 0 && inX < lastX && inY < lastY) {
        // Interior: all four neighbours inside. Values stay in [0, 255], so + 0.5 and truncation round.
        const x0 = inX | 0;
        const y0 = inY | 0;
        const fx = inX - x0;
        const fy = inY - y0;
        const p = y0 * stride + x0 * 3;
        const q = p + stride;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        out[o] =
          w00 * (data[p] as number) +
          w10 * (data[p + 3] as number) +
          w01 * (data[q] as number) +
          w11 * (data[q + 3] as number) +
          0.5;
        out[o + 1] =
          w00 * (data[p + 1] as number) +
          w10 * (data[p + 4] as number) +
          w01 * (data[q + 1] as number) +
          w11 * (data[q + 4] as number) +
          0.5;
        out[o + 2] =
          w00 * (data[p + 2] as number) +
          w10 * (data[p + 5] as number) +
          w01 * (data[q + 2] as number) +
          w11 * (data[q + 5] as number) +
          0.5;
      } else if (inX >= -1 && inY >= -1 && inX < width && inY < height) {
        const x0 = Math.floor(inX);
        const y0 = Math.floor(inY);
        border(data, out, o, x0, y0, inX - x0, inY - y0, width, height, fill);
      }
    }
  }
  return { data: out, width, height };
}

// A pixel whose bilinear footprint crosses the image edge: neighbours outside read as the fill.
function border(
  data: Uint8Array,
  out: Uint8Array,
  o: number,
  x0: number,
  y0: number,
  fx: number,
  fy: number,
  width: number,
  height: number,
  fill: readonly [number, number, number],
): void {
  const left = x0 >= 0;
  const right = x0 + 1 < width;
  const top = y0 >= 0;
  const bottom = y0 + 1 < height;
  const p = y0 * width * 3 + x0 * 3;
  const stride = width * 3;
  for (let c = 0; c < 3; c++) {
    const f = fill[c] as number;
    const v00 = left && top ? (data[p + c] as number) : f;
    const v10 = right && top ? (data[p + c + 3] as number) : f;
    const v01 = left && bottom ? (data[p + c + stride] as number) : f;
    const v11 = right && bottom ? (data[p + c + stride + 3] as number) : f;
    const upper = v00 + fx * (v10 - v00);
    const lower = v01 + fx * (v11 - v01);
    out[o + c] = upper + fy * (lower - upper) + 0.5;
  }
}

/**
 * Solves for the projective map sending each `from[i]` to `to[i]` (four point pairs, [x, y] each).
 *
 * @example
 * const shift = projectiveFromPoints(corners, corners.map(([x, y]) => [x + 1, y])); // translation by 1
 */
export function projectiveFromPoints(from: [number, number][], to: [number, number][]): Projective {
  if (from.length !== 4 || to.length !== 4)
    throw new Error("projectiveFromPoints needs exactly 4 point pairs");
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as [number, number];
    const [u, v] = to[i] as [number, number];
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  return solveLinear(rows) as Projective;
}

// Gaussian elimination with partial pivoting on an n x (n + 1) augmented matrix.
function solveLinear(rows: number[][]): number[] {
  const n = rows.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(rows[r]?.[col] as number) > Math.abs(rows[pivot]?.[col] as number)) pivot = r;
    }
    const pivotRow = rows[pivot] as number[];
    if (Math.abs(pivotRow[col] as number) < 1e-12) throw new Error("degenerate point configuration");
    rows[pivot] = rows[col] as number[];
    rows[col] = pivotRow;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = rows[r] as number[];
      const factor = (row[col] as number) / (pivotRow[col] as number);
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - factor * (pivotRow[c] as number);
    }
  }
  return rows.map((row, i) => (row[n] as number) / (row[i] as number));
}
