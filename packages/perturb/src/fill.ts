/**
 * The colour a geometric view paints where the picture does not reach: one grey level or `[r, g, b]`, each
 * in [0, 255] (the tensor path uses `value / 255`), as torchvision's `fill`. Default black.
 */
export type Fill = number | readonly [number, number, number];

/** `[r, g, b]` in [0, 255] from a `Fill`; throws naming `what` unless every value is a finite 0..255. */
export function resolveFill(fill: Fill | undefined, what: string): [number, number, number] {
  const rgb = fill === undefined ? [0, 0, 0] : typeof fill === "number" ? [fill, fill, fill] : fill;
  if (!Array.isArray(rgb) || rgb.length !== 3) {
    throw new Error(
      `${what} must be a number or an [r, g, b] triple in [0, 255], got ${JSON.stringify(fill)}`,
    );
  }
  for (const value of rgb) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 255) {
      throw new Error(`${what} values must be finite numbers in [0, 255], got ${JSON.stringify(fill)}`);
    }
  }
  return [rgb[0], rgb[1], rgb[2]] as [number, number, number];
}
