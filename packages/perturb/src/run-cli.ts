import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { parseArgs } from "node:util";
import { hashString, mixSeed } from "@cppo/random";
import { viewByName, viewNames } from "./view-by-name";

/** Where the CLI writes; `stderr.isTTY` switches the progress bar on. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

const imageExtensions = new Set([".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".avif"]);

const help = `Usage: cppo-perturb <in-dir> <out-dir> [options]

Writes <name>.<view>.<k>.<ext> (k = 1..copies) for every image in <in-dir> (${[...imageExtensions].join(" ")}).
Each copy is a seeded draw of the view; the same seed gives the same bytes.

Options:
  --view <name>     view to apply (default informationRemoving); one of:
                    ${viewNames.join(", ")}
                    (both = informationPreserving then informationRemoving)
  --copies <n>      copies per image, an integer >= 1 (default 1)
  --seed <n>        integer seed (default 0)
  -h, --help        show this help

Unreadable files are reported and skipped; the exit code is 1 if any failed, 2 on bad usage.
`;

/**
 * The `cppo-perturb` command, callable in-process. Resolves to the exit code.
 *
 * @example
 * const code = await runCli(["in", "out", "--view", "zoomCrop", "--copies", "2"], process);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr.write(`cppo-perturb: ${(error as Error).message}\nRun cppo-perturb --help for usage.\n`);
    return 2;
  }
  if (parsed === "help") {
    io.stdout.write(help);
    return 0;
  }
  const { inDir, outDir, viewName, copies, seed } = parsed;
  const view = viewByName(viewName);
  let names: string[];
  try {
    const entries = await readdir(inDir, { withFileTypes: true });
    names = entries
      .filter((e) => e.isFile() && imageExtensions.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    io.stderr.write(`cppo-perturb: cannot read input directory ${inDir}: ${(error as Error).message}\n`);
    return 2;
  }
  await mkdir(outDir, { recursive: true });
  const progress = io.stderr.isTTY === true;
  const failures: string[] = [];
  let written = 0;
  for (const [i, name] of names.entries()) {
    const ext = extname(name);
    const stem = basename(name, ext);
    try {
      const bytes = new Uint8Array(await readFile(join(inDir, name)));
      // Keyed by name, so a file's draws do not depend on what else is in the folder.
      const fileSeed = mixSeed(seed, hashString(name));
      for (let k = 1; k <= copies; k++) {
        const out = await view.apply(bytes, { seed: mixSeed(fileSeed, k) });
        await writeFile(join(outDir, `${stem}.${viewName}.${k}${ext}`), out);
        written++;
      }
      if (!progress) io.stdout.write(`ok ${name} -> ${copies} cop${copies === 1 ? "y" : "ies"}\n`);
    } catch (error) {
      failures.push(name);
      const message = `failed ${join(inDir, name)}: ${(error as Error).message}`;
      if (progress) io.stderr.write("\r\x1b[K");
      io.stderr.write(`${message}\n`);
    }
    if (progress) io.stderr.write(`\r${bar(i + 1, names.length)} ${name}\x1b[K`);
  }
  if (progress) io.stderr.write("\n");
  io.stdout.write(
    `${written} file(s) written to ${outDir} from ${names.length - failures.length}/${names.length} image(s)\n`,
  );
  if (failures.length > 0) {
    io.stderr.write(`${failures.length} file(s) could not be processed: ${failures.join(", ")}\n`);
    return 1;
  }
  return 0;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      view: { type: "string", default: "informationRemoving" },
      copies: { type: "string", default: "1" },
      seed: { type: "string", default: "0" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help" as const;
  if (positionals.length !== 2) {
    throw new Error(`expected <in-dir> <out-dir>, got ${positionals.length} positional argument(s)`);
  }
  const viewName = values.view;
  if (!viewNames.includes(viewName))
    throw new Error(`--view must be one of ${viewNames.join(", ")}, got "${viewName}"`);
  const copies = Number(values.copies);
  if (!Number.isInteger(copies) || copies < 1)
    throw new Error(`--copies must be an integer >= 1, got "${values.copies}"`);
  const seed = Number(values.seed);
  if (values.seed.trim() === "" || !Number.isSafeInteger(seed)) {
    throw new Error(`--seed must be an integer, got "${values.seed}"`);
  }
  return { inDir: positionals[0] as string, outDir: positionals[1] as string, viewName, copies, seed };
}

function bar(done: number, total: number): string {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`;
}
