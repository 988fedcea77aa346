// Builds a ViRL39K-sized fixture (38,870 rows, one row group as pyarrow writes it, images.zip with one entry
// per row) in a temp folder, then, in a fresh process so the fixture's memory does not count, times the index
// pass, random and in-order get(), and reports memory.
// Run: pnpm bench [rows]
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadViRL39K } from "../src/virl39k.js";
import { makeImage, type VirlRow, writeVirlParquet, writeZip } from "../test/fixtures.js";

const rowCount = Number(process.argv[2] === "--measure" ? 0 : (process.argv[2] ?? 38_870));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const words = "the triangle ABC has a right angle at C find the length of side AB given that".split(" ");

function text(i: number, length: number): string {
  let out = "";
  for (let k = 0; out.length < length; k++) out += `${words[(i * 7 + k) % words.length]} `;
  return out;
}

async function makeFixture(dir: string): Promise<void> {
  const png = await makeImage(320, 240, "png");
  const rows: VirlRow[] = Array.from({ length: rowCount }, (_, i) => ({
    question: `<image>\n${text(i, 400)}`,
    answer: `${text(i + 1, 300)} \\boxed{${i}}`,
    passRate32B: (i % 9) / 8,
    passRate7B: i % 5 === 0 ? -1 : (i % 4) / 4,
    category: ["Spatial", "Chart", "Math", "Science", "Puzzle", "Table", "Doc", "Other"][i % 8] as string,
    source: `source${i % 20}`,
    qid: `qid-${i}`,
    image: i % 50 === 0 ? [`images/qid-${i}-0.png`, `images/qid-${i}-1.png`] : [`images/qid-${i}-0.png`],
  }));
  const zipFiles: Record<string, Uint8Array> = {};
  for (const row of rows) for (const path of row.image) zipFiles[path] = png;
  await writeVirlParquet(join(dir, "39Krelease.parquet"), rows, { rowGroupSize: rowCount });
  await writeZip(join(dir, "images.zip"), zipFiles);
  rows.length = 0;
  console.log(
    `fixture: ${rowCount} rows, parquet ${mb((await stat(join(dir, "39Krelease.parquet"))).size)}, zip ${mb((await stat(join(dir, "images.zip"))).size)}`,
  );
}

async function measure(dir: string): Promise<void> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let start = performance.now();
  const data = await loadViRL39K({ root: dir, shuffleSeed: 0 });
  console.log(
    `load (index pass + zip directory): ${(performance.now() - start).toFixed(0)} ms, ${data.length} rows kept`,
  );
  globalThis.gc?.();
  console.log(`heap held after load: ${mb(process.memoryUsage().heapUsed - heapBefore)}`);

  start = performance.now();
  for (let i = 0; i < 200; i++) await data.get(i);
  console.log(
    `get, shuffled order (each a different 512-row block): ${((performance.now() - start) / 200).toFixed(1)} ms/row`,
  );

  const ordered = await loadViRL39K({ root: dir });
  start = performance.now();
  for (let i = 0; i < 2000; i++) await ordered.get(i);
  console.log(
    `get, file order (block cache hits): ${((performance.now() - start) / 2000).toFixed(2)} ms/row`,
  );
  console.log(`peak rss: ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

if (process.argv[2] === "--measure") {
  await measure(process.argv[3] as string);
} else {
  const dir = await mkdtemp(join(tmpdir(), "virl-bench-"));
  try {
    await makeFixture(dir);
    const flags = ["--expose-gc", "--conditions=@cppo/source", "--import", "tsx"];
    execFileSync(process.execPath, [...flags, new URL(import.meta.url).pathname, "--measure", dir], {
      stdio: "inherit",
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
