import { mixSeed } from "@cppo/random";
import { colorJitter } from "./color-jitter";
import type { Fill } from "./fill";
import type { RawImage } from "./image-io";
import { createRng } from "./random";
import { randomOcclusion } from "./random-occlusion";
import { randomPerspective } from "./random-perspective";
import { randomRotation } from "./random-rotation";
import { defineView, type ImageView } from "./view";
import { zoomCrop } from "./zoom-crop";

/** Which view a mixture picked, and that view's own draw. */
export type OneOfParams = { view: string; index: number; params: object };

/** Every step of a composition with its draw, in order. */
export type ComposeParams = { steps: { view: string; params: object }[] };

/**
 * A view that applies ONE of `views`, picked with probability proportional to `weights` (uniform by
 * default); its draw records which one.
 *
 * @example
 * const view = oneOf([randomRotation(), zoomCrop()], [3, 1]);
 * view.sample(1); // e.g. { view: "randomRotation", index: 0, params: { degrees: -4.2 } }
 */
export function oneOf(views: ImageView[], weights?: number[], name?: string): ImageView<OneOfParams> {
  if (!Array.isArray(views) || views.length === 0) throw new Error("oneOf: views must be a non-empty array");
  const w = weights ?? views.map(() => 1);
  if (w.length !== views.length) {
    throw new Error(`oneOf: got ${w.length} weights for ${views.length} views; expected one weight per view`);
  }
  if (w.some((x) => !Number.isFinite(x) || x < 0) || w.reduce((a, b) => a + b, 0) <= 0) {
    throw new Error(`oneOf: weights must be finite, >= 0 and not all 0, got [${w}]`);
  }
  const total = w.reduce((a, b) => a + b, 0);
  const pick = (seed: number): number => {
    let u = createRng(mixSeed(seed, 0x6f6e65)).next() * total;
    for (let i = 0; i < w.length; i++) {
      u -= w[i] as number;
      if (u < 0 && (w[i] as number) > 0) return i;
    }
    return w.findLastIndex((x) => x > 0);
  };
  const viewAt = (params: OneOfParams): ImageView => {
    const view = views[params.index];
    if (!view)
      throw new Error(`oneOf: params.index ${params.index} is out of range for ${views.length} views`);
    return view;
  };
  return defineView<OneOfParams>({
    name: name ?? `oneOf(${views.map((v) => v.name).join(",")})`,
    sample(seed) {
      const index = pick(seed);
      const view = views[index] as ImageView;
      return { view: view.name, index, params: view.sample(mixSeed(seed, 1)) };
    },
    applyRaw: (raw, params) => viewAt(params).applyRaw(raw, params.params),
    applyImage: (image, params) => viewAt(params).applyImage(image, params.params),
  });
}

/**
 * A view that applies every one of `views` in order, each with its own draw.
 *
 * @example
 * const view = compose([colorJitter(), randomOcclusion({ count: 10 })]);
 * const out = await view.apply(bytes, { seed: 9 });
 */
export function compose(views: ImageView[], name?: string): ImageView<ComposeParams> {
  if (!Array.isArray(views) || views.length === 0)
    throw new Error("compose: views must be a non-empty array");
  const checkSteps = (params: ComposeParams): void => {
    if (params.steps.length !== views.length) {
      throw new Error(`compose: params.steps has ${params.steps.length} entries; expected ${views.length}`);
    }
  };
  return defineView<ComposeParams>({
    name: name ?? `compose(${views.map((v) => v.name).join(",")})`,
    sample: (seed) => ({
      steps: views.map((view, i) => ({ view: view.name, params: view.sample(mixSeed(seed, 100 + i)) })),
    }),
    async applyRaw(raw, params) {
      checkSteps(params);
      let current: RawImage = raw;
      for (const [i, view] of views.entries())
        current = await view.applyRaw(current, params.steps[i]?.params as object);
      return current;
    },
    applyImage(image, params) {
      checkSteps(params);
      let current = image;
      for (const [i, view] of views.entries())
        current = view.applyImage(current, params.steps[i]?.params as object);
      return current;
    },
  });
}

/**
 * CPPO's `I+`: one of colour jitter, random perspective, random rotation, chosen uniformly, each with the
 * reference parameters; `fill` is the colour rotation and perspective paint outside the picture (default
 * black; white suits white-background charts).
 *
 * @example
 * const positive = informationPreserving().applyTensor(images, { seed: step });
 * const forCharts = informationPreserving({ fill: 255 });
 */
export function informationPreserving(options: { fill?: Fill } = {}): ImageView<OneOfParams> {
  const { fill } = options;
  return oneOf(
    [colorJitter(), randomPerspective({ fill }), randomRotation({ fill })],
    undefined,
    "informationPreserving",
  );
}

/**
 * CPPO's `I-`: one of random occlusion and zoom-crop, chosen uniformly, with the reference parameters.
 *
 * @example
 * const negative = informationRemoving().applyTensor(images, { seed: step });
 */
export function informationRemoving(): ImageView<OneOfParams> {
  return oneOf([randomOcclusion(), zoomCrop()], undefined, "informationRemoving");
}
