// The first ten are the widely used "category10" colours, chosen to stay distinguishable from each other.
const BASE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/**
 * The colour of the `index`-th series of a chart, as `#rrggbb`: ten hand-picked colours, then hues a golden
 * angle apart at two lightness levels, so any number of series get distinct colours.
 *
 * @example
 * seriesColour(0); // "#1f77b4"
 */
export function seriesColour(index: number): string {
  if (!Number.isInteger(index) || index < 0) {
    throw new Error(`seriesColour: index must be an integer >= 0, got ${index}`);
  }
  const base = BASE[index];
  if (base !== undefined) return base;
  const k = index - BASE.length;
  const hue = (k * 137.50776405) % 360;
  return hslToHex(hue, 0.65, k % 2 === 0 ? 0.42 : 0.58);
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const halfChroma = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - halfChroma * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
