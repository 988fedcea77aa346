import { readFile } from "node:fs/promises";
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import yauzl from "yauzl";

/** Where image files named by the parquet live: a folder or a zip, addressed by the parquet's relative paths. */
export interface ImageSource {
  /** Human-readable location for error messages, e.g. `/data/images.zip`. */
  readonly location: string;
  /** The file's bytes, or null when the source has no such file. */
  read(relativePath: string): Promise<Uint8Array | null>;
}

/**
 * Images in a folder: `relativePath` (such as `images/abc-0.jpg`) is resolved against `root`, and paths that
 * climb out of `root` are refused.
 *
 * @example
 * const source = folderImageSource("/data/virl");
 * const bytes = await source.read("images/abc-0.jpg");
 */
export function folderImageSource(root: string): ImageSource {
  return {
    location: root,
    async read(relativePath) {
      const full = join(root, normalize(relativePath));
      const inside = relative(root, full);
      if (inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) return null;
      try {
        return new Uint8Array(await readFile(full));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

function readCentralDirectory(
  zipPath: string,
): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      zipPath,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true },
      (error, zip) => {
        if (error || !zip)
          return reject(new Error(`${zipPath}: not a readable zip (${error?.message})`, { cause: error }));
        const entries = new Map<string, yauzl.Entry>();
        zip.on("entry", (entry: yauzl.Entry) => {
          if (!entry.fileName.endsWith("/")) entries.set(entry.fileName, entry);
          zip.readEntry();
        });
        zip.on("end", () => resolve({ zip, entries }));
        zip.on("error", (cause: Error) => reject(new Error(`${zipPath}: ${cause.message}`, { cause })));
        zip.readEntry();
      },
    );
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error("no stream"));
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", reject);
      stream.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    });
  });
}

/**
 * Images inside a zip, read in place with yauzl random access over one file descriptor kept open for the
 * source's lifetime (nothing is unpacked to disk). The central directory is read once; a path `images/x.jpg` matches the entry `images/x.jpg`, or `x.jpg` for zips whose
 * entries sit at the top level.
 *
 * @example
 * const source = await zipImageSource("/data/virl/images.zip");
 * const bytes = await source.read("images/abc-0.jpg");
 */
export async function zipImageSource(zipPath: string): Promise<ImageSource> {
  const { zip, entries } = await readCentralDirectory(zipPath);
  return {
    location: zipPath,
    async read(relativePath) {
      const name = relativePath.replaceAll("\\", "/").replace(/^\.\//, "");
      const entry = entries.get(name) ?? entries.get(name.replace(/^images\//, ""));
      return entry === undefined ? null : readEntry(zip, entry);
    },
  };
}
