/** Saturated colours far apart in RGB, so a 32 px render keeps them distinct. Names are short: every character is a token. */
export const PALETTE = {
  red: [230, 0, 0],
  green: [0, 170, 0],
  blue: [0, 60, 255],
  yellow: [255, 200, 0],
  purple: [150, 0, 200],
  cyan: [0, 200, 220],
} as const satisfies Record<string, readonly [number, number, number]>;

export type ColourName = keyof typeof PALETTE;

/** The palette's colour names, in a fixed order. */
export const COLOUR_NAMES: readonly ColourName[] = Object.keys(PALETTE) as ColourName[];

/** `#rrggbb` for an SVG fill. */
export function hexColour(name: ColourName): string {
  return `#${PALETTE[name].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}
