import { readFile } from "node:fs/promises";

/**
 * Parses a JSON file; `optional` files that do not exist give `undefined`. Errors name the file.
 *
 * @example
 * const config = await readJson("models/smolvlm/config.json");
 */
export async function readJson(
  path: string,
  optional?: "optional",
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new Error("not a JSON object");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path}: not a valid JSON object (${(error as Error).message})`);
  }
}
