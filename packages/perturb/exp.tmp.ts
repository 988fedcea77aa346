import sharp from "sharp";
import { readFileSync } from "node:fs";
import { warpRaw } from "./src/warp";
import { rotationTransform } from "./src/random-rotation";
import { perspectiveTransform } from "./src/random-perspective";
sharp.concurrency(1); sharp.cache(false);
const jpeg = readFileSync("/tmp/ref512.jpg");
const o = { quality: 90, optimiseCoding: false, chromaSubsampling: "4:2:0" } as const;
const ri = { raw: { width: 512, height: 512, channels: 3 as const } };
async function bench(name: string, fn: () => Promise<unknown> | unknown, n = 200) {
  for (let i = 0; i < 10; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(name.padEnd(36), ((performance.now() - t) / n).toFixed(3), "ms");
}
const raw = new Uint8Array(await sharp(jpeg).raw().toBuffer());
const img = { data: raw, width: 512, height: 512 };
const rot = rotationTransform(512, 512, 7.3);
const per = perspectiveTransform(512, 512, [[0.05, 0.08], [0.02, 0.09], [0.07, 0.01], [0.03, 0.06]]);
await bench("identity fused", () => sharp(jpeg).jpeg(o).toBuffer());
await bench("decode raw", () => sharp(jpeg).raw().toBuffer());
await bench("encode raw", () => sharp(raw, ri).jpeg(o).toBuffer());
await bench("JS warpRaw rotation", () => warpRaw(img, rot));
await bench("JS warpRaw perspective", () => warpRaw(img, per));
const s = Math.hypot(512, 512);
await bench("fused rotate+extract", async () => {
  const r = sharp(jpeg).rotate(7.3, { background: "#000" });
  return r.toBuffer(); });
await bench("fused zoom extract+resize linear", () => sharp(jpeg).extract({ left: 50, top: 60, width: 333, height: 333 }).resize(512, 512, { fit: "fill", kernel: "linear" }).jpeg(o).toBuffer());
await bench("fused zoom extract+affine", () => sharp(jpeg).extract({ left: 50, top: 60, width: 333, height: 333 }).affine([511/332, 0, 0, 511/332], { interpolator: sharp.interpolators.bilinear }).jpeg(o).toBuffer());
const overlay = Buffer.alloc(512 * 512 * 4);
for (let i = 0; i < overlay.length; i += 4) if ((i >> 2) % 512 < 200) { overlay[i] = i & 255; overlay[i + 3] = 255; }
await bench("fused composite 1 RGBA overlay", () => sharp(jpeg).composite([{ input: overlay, raw: { width: 512, height: 512, channels: 4 } }]).jpeg(o).toBuffer());
await bench("fused linear", () => sharp(jpeg).linear(1.2, -10).jpeg(o).toBuffer());
await bench("fused recomb", () => sharp(jpeg).recomb([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]).jpeg(o).toBuffer());
