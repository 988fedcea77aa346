import { colorJitter } from "./color-jitter";
import { compose, informationPreserving, informationRemoving } from "./mixture";
import { patchMask } from "./patch-mask";
import { randomOcclusion } from "./random-occlusion";
import { randomPerspective } from "./random-perspective";
import { randomRotation } from "./random-rotation";
import type { ImageView } from "./view";
import { zoomCrop } from "./zoom-crop";

const factories: Record<string, () => ImageView> = {
  informationPreserving,
  informationRemoving,
  colorJitter: () => colorJitter(),
  randomPerspective: () => randomPerspective(),
  randomRotation: () => randomRotation(),
  randomOcclusion: () => randomOcclusion(),
  zoomCrop: () => zoomCrop(),
  patchMask: () => patchMask(),
  both: () => compose([informationPreserving(), informationRemoving()], "both"),
};

/** Names {@link viewByName} accepts: every view and mixture with its reference defaults. */
export const viewNames: readonly string[] = Object.keys(factories);

/**
 * A view with its reference defaults, by name (for command lines and config files).
 *
 * @example
 * viewByName("informationRemoving").sample(1); // { view: "randomOcclusion" | "zoomCrop", ... }
 */
export function viewByName(name: string): ImageView {
  const factory = factories[name];
  if (!factory) throw new Error(`unknown view "${name}": expected one of ${viewNames.join(", ")}`);
  return factory();
}
