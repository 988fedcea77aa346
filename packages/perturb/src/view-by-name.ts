import { colorJitter } from "./color-jitter";
import type { Fill } from "./fill";
import { compose, informationPreserving, informationRemoving } from "./mixture";
import { patchMask } from "./patch-mask";
import { randomOcclusion } from "./random-occlusion";
import { randomPerspective } from "./random-perspective";
import { randomRotation } from "./random-rotation";
import type { ImageView } from "./view";
import { zoomCrop } from "./zoom-crop";

/** What {@link viewByName} passes on; `fill` reaches the views that paint outside the picture. */
export interface ViewByNameOptions {
  fill?: Fill;
}

const factories: Record<string, (options: ViewByNameOptions) => ImageView> = {
  informationPreserving: ({ fill }) => informationPreserving({ fill }),
  informationRemoving: () => informationRemoving(),
  colorJitter: () => colorJitter(),
  randomPerspective: ({ fill }) => randomPerspective({ fill }),
  randomRotation: ({ fill }) => randomRotation({ fill }),
  randomOcclusion: () => randomOcclusion(),
  zoomCrop: () => zoomCrop(),
  patchMask: () => patchMask(),
  both: ({ fill }) => compose([informationPreserving({ fill }), informationRemoving()], "both"),
};

/** Names {@link viewByName} accepts: every view and mixture with its reference defaults. */
export const viewNames: readonly string[] = Object.keys(factories);

/**
 * A view with its reference defaults, by name (for command lines and config files); `options.fill` sets the
 * colour rotation and perspective paint outside the picture (ignored by views that paint nothing).
 *
 * @example
 * viewByName("informationRemoving").sample(1); // { view: "randomOcclusion" | "zoomCrop", ... }
 * viewByName("informationPreserving", { fill: 255 }); // white corners, for white-background charts
 */
export function viewByName(name: string, options: ViewByNameOptions = {}): ImageView {
  const factory = factories[name];
  if (!factory) throw new Error(`unknown view "${name}": expected one of ${viewNames.join(", ")}`);
  return factory(options);
}
