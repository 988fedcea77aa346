/**
 * CPPO's two perturbed views of every image in a folder, written to disk, then the same views on a tensor
 * batch as a trainer would call them.
 *
 *   pnpm start [in-dir] [out-dir] [--seed n]   (no in-dir: makes a few synthetic images first)
 *   pnpm test                                  (tiny images, checks the outputs, exits non-zero on failure)
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { batchSeed, decodeImage, informationPreserving, informationRemoving } from "@cppo/perturb";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import sharp from "sharp";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tiny: { type: "boolean", default: false }, seed: { type: "string", default: "0" } },
});
const tiny = values.tiny;
const seed = Number(values.seed);
const side = tiny ? 48 : 256;

await tf.setBackend("cpu");
const scratch = await mkdtemp(join(tmpdir(), "cppo-augment-"));
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};

try {
  const inDir = positionals[0] ?? (await makeSampleImages(join(scratch, "in"), tiny ? 3 : 4));
  const outDir = positionals[1] ?? join(scratch, "out");
  await mkdir(outDir, { recursive: true });
  const names = (await readdir(inDir)).filter((n) => /\.(png|jpe?g|webp)$/i.test(n)).sort();
  const positive = informationPreserving();
  const negative = informationRemoving();

  // 1. Encoded bytes in, same format out; the draw is plain JSON for the training log.
  for (const [i, name] of names.entries()) {
    const bytes = new Uint8Array(await readFile(join(inDir, name)));
    const ext = extname(name);
    for (const [label, view] of [["plus", positive] as const, ["minus", negative] as const]) {
      const viewSeed = batchSeed(seed, i);
      const out = await view.apply(bytes, { seed: viewSeed });
      await writeFile(join(outDir, `${name.slice(0, -ext.length)}.${label}${ext}`), out);
      console.log(`${name} ${label}: ${describe(view.sample(viewSeed))}`);
      const again = await view.apply(bytes, { seed: viewSeed });
      check(Buffer.from(again).equals(Buffer.from(out)), `${name} ${label}: same seed gave different bytes`);
      const [before, after] = await Promise.all([sharp(bytes).metadata(), sharp(out).metadata()]);
      check(
        before.format === after.format && before.width === after.width && before.height === after.height,
        `${name} ${label}: format or size changed`,
      );
    }
  }

  // 2. The trainer's path: a [B, H, W, 3] batch; image b uses the draw sample(batchSeed(seed, b)).
  const tensorsBefore = tf.memory().numTensors;
  const images = await Promise.all(
    names.map(async (n) => decodeImage(new Uint8Array(await readFile(join(inDir, n))), { size: side })),
  );
  const batch = tf.stack(images) as tf.Tensor4D;
  tf.dispose(images);
  const plus = positive.applyTensor(batch, { seed });
  const minus = negative.applyTensor(batch, { seed });
  console.log(`\nbatch ${batch.shape} -> I+ ${plus.shape}, I- ${minus.shape}`);
  for (let b = 0; b < names.length; b++) {
    console.log(
      `  image ${b}: I+ ${positive.sample(batchSeed(seed, b)).view}, I- ${negative.sample(batchSeed(seed, b)).view}`,
    );
  }
  const changed = tf.tidy(() => tf.mean(tf.abs(tf.sub(minus, batch))).dataSync()[0] as number);
  console.log(`  mean |I- - I| = ${changed.toFixed(3)}`);
  check(changed > 0.01, "I- left the batch unchanged");
  tf.dispose([batch, plus, minus]);
  check(tf.memory().numTensors === tensorsBefore, "tensors leaked");
  console.log(`\nviews written to ${positionals[1] ?? "(a temporary folder, removed on exit)"}`);
} finally {
  if (!positionals[1]) await rm(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\nFAILED:\n  ${failures.join("\n  ")}`);
  process.exitCode = 1;
} else if (tiny) {
  console.log("augment example: all checks passed");
}

function describe(draw: { view: string; params: object }): string {
  const text = JSON.stringify(draw.params);
  return `${draw.view} ${text.length > 90 ? `${text.slice(0, 90)}...` : text}`;
}

// Synthetic "diagrams": a coloured background, a few shapes, saved as PNG, JPEG and WebP.
async function makeSampleImages(dir: string, count: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const formats = ["png", "jpeg", "webp"] as const;
  for (let i = 0; i < count; i++) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}">
      <rect width="100%" height="100%" fill="hsl(${i * 70}, 60%, 80%)"/>
      <circle cx="${side * 0.35}" cy="${side * 0.4}" r="${side * 0.2}" fill="hsl(${i * 70 + 180}, 70%, 40%)"/>
      <polygon points="${side * 0.55},${side * 0.9} ${side * 0.95},${side * 0.9} ${side * 0.75},${side * 0.5}" fill="#222"/>
      <line x1="0" y1="${side * 0.1}" x2="${side}" y2="${side * 0.7}" stroke="#c00" stroke-width="${side / 40}"/>
    </svg>`;
    const format = formats[i % formats.length] as (typeof formats)[number];
    const ext = format === "jpeg" ? "jpg" : format;
    await sharp(Buffer.from(svg))
      .toFormat(format)
      .toFile(join(dir, `sample-${i}.${ext}`));
  }
  return dir;
}
