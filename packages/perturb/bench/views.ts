/**
 * Throughput of every view on 512x512 JPEGs: `apply` one at a time with sharp.concurrency(1), `apply` with
 * sharp's default concurrency and several images in flight, and `applyTensor` on a [32, 512, 512, 3] batch
 * (cpu backend, and wasm when it loads). Prints a table and writes bench/results.json.
 *
 *   pnpm bench            (or: npx tsx --conditions=@cppo/source bench/views.ts [--images 32] [--batch 32])
 */
import { writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";
import {
  colorJitter,
  decodeImage,
  type ImageView,
  informationPreserving,
  informationRemoving,
  patchMask,
  randomOcclusion,
  randomPerspective,
  randomRotation,
  zoomCrop,
} from "../src/index";

const { values } = parseArgs({
  options: { images: { type: "string", default: "32" }, batch: { type: "string", default: "32" } },
});
const imageCount = Number(values.images);
const batchSize = Number(values.batch);
const side = 512;
const inFlight = 4;

const views: ImageView[] = [
  colorJitter(),
  randomPerspective({ probability: 1 }),
  randomRotation(),
  randomOcclusion(),
  zoomCrop(),
  patchMask(),
  informationPreserving(),
  informationRemoving(),
];

// Photographic-ish content so JPEG decode/encode costs what it does on real data.
async function makeJpegs(n: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(side * side * 3);
    let s = (i + 1) * 2654435761;
    for (let p = 0; p < side * side; p++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const x = p % side;
      const y = Math.floor(p / side);
      const noise = (s >>> 24) / 8;
      data[p * 3] = (x / 2 + noise + i * 9) & 255;
      data[p * 3 + 1] = (y / 2 + noise) & 255;
      data[p * 3 + 2] = ((x + y) / 4 + 64 * Math.sin((x * y) / 5000)) & 255;
    }
    out.push(
      new Uint8Array(
        await sharp(data, { raw: { width: side, height: side, channels: 3 } })
          .jpeg()
          .toBuffer(),
      ),
    );
  }
  return out;
}

async function timeIt(run: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

async function applySequential(view: ImageView, jpegs: Uint8Array[]): Promise<number> {
  sharp.concurrency(1);
  await view.apply(jpegs[0] as Uint8Array, { seed: 0 });
  const seconds = await timeIt(async () => {
    for (const [i, bytes] of jpegs.entries()) await view.apply(bytes, { seed: i });
  });
  return jpegs.length / seconds;
}

async function applyConcurrent(
  view: ImageView,
  jpegs: Uint8Array[],
  defaultConcurrency: number,
): Promise<number> {
  sharp.concurrency(defaultConcurrency);
  const seconds = await timeIt(async () => {
    let next = 0;
    const worker = async () => {
      while (next < jpegs.length) {
        const i = next++;
        await view.apply(jpegs[i] as Uint8Array, { seed: i });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  });
  return jpegs.length / seconds;
}

async function tensorRate(view: ImageView, batch: tf.Tensor4D): Promise<number> {
  tf.dispose(view.applyTensor(tf.slice(batch, 0, 1) as tf.Tensor4D, { seed: 0 }));
  const seconds = await timeIt(async () => {
    const out = view.applyTensor(batch, { seed: 1 });
    await out.data();
    out.dispose();
  });
  return batch.shape[0] / seconds;
}

async function tryWasm(): Promise<boolean> {
  try {
    await import("@tensorflow/tfjs-backend-wasm");
    return await tf.setBackend("wasm");
  } catch (error) {
    console.warn(`wasm backend unavailable: ${(error as Error).message}`);
    return false;
  }
}

const defaultConcurrency = sharp.concurrency();
const jpegs = await makeJpegs(imageCount);
await tf.setBackend("cpu");
const images = await Promise.all(
  jpegs.slice(0, Math.min(batchSize, jpegs.length)).map((b) => decodeImage(b)),
);
const batchImages = Array.from({ length: batchSize }, (_, i) => images[i % images.length] as tf.Tensor3D);
const rows: Record<string, number | string>[] = [];
for (const view of views) {
  const row: Record<string, number | string> = { view: view.name };
  row.applySequential = await applySequential(view, jpegs);
  row.applyConcurrent = await applyConcurrent(view, jpegs, defaultConcurrency);
  await tf.setBackend("cpu");
  const cpuBatch = tf.stack(batchImages) as tf.Tensor4D;
  row.tensorCpu = await tensorRate(view, cpuBatch);
  cpuBatch.dispose();
  rows.push(row);
  console.log(`${view.name}: done`);
}
const cpuImages = await Promise.all(images.map((image) => image.data()));
tf.dispose(images);
if (await tryWasm()) {
  const wasmBatch = tf.stack(
    batchImages.map((_, i) => tf.tensor3d(cpuImages[i % cpuImages.length] as Float32Array, [side, side, 3])),
  ) as tf.Tensor4D;
  for (const [i, view] of views.entries()) {
    try {
      (rows[i] as Record<string, number | string>).tensorWasm = await tensorRate(view, wasmBatch);
    } catch (error) {
      (rows[i] as Record<string, number | string>).tensorWasm =
        `error: ${(error as Error).message.slice(0, 60)}`;
    }
  }
  wasmBatch.dispose();
}

const format = (v: number | string | undefined) => (typeof v === "number" ? v.toFixed(1) : (v ?? "-"));
const columns = ["view", "applySequential", "applyConcurrent", "tensorCpu", "tensorWasm"];
const load = loadavg().map((l) => l.toFixed(1));
console.log(
  `\nimages/second, ${side}x${side} JPEG; ${availableParallelism()} cores (load average ${load.join(" ")}); ` +
    `sharp default concurrency ${defaultConcurrency}, ${inFlight} in flight for applyConcurrent`,
);
console.log(`| ${columns.join(" | ")} |\n|${columns.map(() => " --- ").join("|")}|`);
for (const row of rows) console.log(`| ${columns.map((c) => format(row[c])).join(" | ")} |`);
await writeFile(
  new URL("./results.json", import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cores: availableParallelism(),
      loadAverageAtEnd: loadavg(),
      sharp: sharp.versions.sharp,
      vips: sharp.versions.vips,
      sharpDefaultConcurrency: defaultConcurrency,
      inFlight,
      imageSide: side,
      images: imageCount,
      tensorBatch: batchSize,
      unit: "images per second",
      rows,
    },
    null,
    2,
  )}\n`,
);
