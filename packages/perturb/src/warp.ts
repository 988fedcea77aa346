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
  if (fill[0] !== 0 || fill[1] !== 0 || fill[2] !== 0) {
    for (let p = 0; p < out.length; p += 3) {
      out[p] = Math.round(fill[0]);
      out[p + 1] = Math.round(fill[1]);
      out[p + 2] = Math.round(fill[2]);
    }
  }
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = c0 * x + c1 * y + 1;
      if (k === 0) continue;
      const inX = (a0 * x + a1 * y + a2) / k;
      const inY = (b0 * x + b1 * y + b2) / k;
      const x0 = Math.floor(inX);
      const y0 = Math.floor(inY);
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) continue;
      const fx = inX - x0;
      const fy = inY - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const o = (y * width + x) * 3;
      const p = y0 * stride + x0 * 3;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        for (let c = 0; c < 3; c++) {
          const q = p + c;
          out[o + c] = Math.round(
            w00 * (data[q] as number) +
              w10 * (data[q + 3] as number) +
              w01 * (data[q + stride] as number) +
              w11 * (data[q + stride + 3] as number),
          );
        }
      } else {
        // Border: neighbours outside the image read as the fill, as tf.image.transform's constant mode.
        const left = x0 >= 0;
        const right = x0 + 1 < width;
        const top = y0 >= 0;
        const bottom = y0 + 1 < height;
        for (let c = 0; c < 3; c++) {
          const q = p + c;
          const f = fill[c] as number;
          const v00 = left && top ? (data[q] as number) : f;
          const v10 = right && top ? (data[q + 3] as number) : f;
          const v01 = left && bottom ? (data[q + stride] as number) : f;
          const v11 = right && bottom ? (data[q + stride + 3] as number) : f;
          out[o + c] = Math.round(w00 * v00 + w10 * v10 + w01 * v01 + w11 * v11);
        }
      }
    }
  }
  return { data: out, width, height };
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
