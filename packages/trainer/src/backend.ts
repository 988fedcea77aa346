import * as tf from "@tensorflow/tfjs-core";

/** The backends the trainer knows, fastest first. */
export const BACKENDS = [
  { name: "tensorflow-gpu", module: "@tensorflow/tfjs-node-gpu", backend: "tensorflow" },
  { name: "tensorflow", module: "@tensorflow/tfjs-node", backend: "tensorflow" },
  { name: "wasm", module: "@tensorflow/tfjs-backend-wasm", backend: "wasm" },
  { name: "cpu", module: "@tensorflow/tfjs-backend-cpu", backend: "cpu" },
] as const;

export type BackendName = (typeof BACKENDS)[number]["name"];

export interface SelectedBackend {
  /** The entry of {@link BACKENDS} that runs. */
  name: BackendName;
  /** tfjs's own backend name (`tf.getBackend()`). */
  backend: string;
  /** Why faster backends were not used (import errors other than "not installed"). */
  skipped: string[];
}

type Importer = (module: string) => Promise<unknown>;
const defaultImporter: Importer = (module) => import(module);

/**
 * Registers and activates the fastest available tfjs backend: tfjs-node-gpu, tfjs-node, wasm, then cpu.
 * A package that is not installed is skipped silently; any other import or initialisation failure is
 * recorded in `skipped` and the next backend is tried. With `preferred`, only that backend is tried.
 *
 * @example
 * const { name } = await selectBackend(); // "cpu" when nothing faster is installed
 * await selectBackend("wasm");
 */
export async function selectBackend(
  preferred?: string,
  importer: Importer = defaultImporter,
): Promise<SelectedBackend> {
  let candidates: ReadonlyArray<(typeof BACKENDS)[number]> = BACKENDS;
  if (preferred !== undefined) {
    const match = [
      ...BACKENDS.filter((b) => b.name === preferred || b.module === preferred),
      ...BACKENDS.filter((b) => b.backend === preferred),
    ];
    if (match.length === 0) {
      throw new Error(
        `unknown backend "${preferred}": expected one of ${BACKENDS.map((b) => b.name).join(", ")}`,
      );
    }
    candidates = match.slice(0, 1);
  }
  const skipped: string[] = [];
  for (const candidate of candidates) {
    try {
      await importer(candidate.module);
    } catch (error) {
      if (isNotInstalled(error, candidate.module)) {
        if (preferred !== undefined)
          throw new Error(`backend "${preferred}" needs ${candidate.module}: npm i ${candidate.module}`);
        continue;
      }
      const message = `${candidate.module}: ${(error as Error).message}`;
      if (preferred !== undefined) throw new Error(`backend "${preferred}" failed to load: ${message}`);
      skipped.push(message);
      continue;
    }
    try {
      if (!(await tf.setBackend(candidate.backend))) throw new Error("initialisation failed");
      await tf.ready();
    } catch (error) {
      const message = `${candidate.module}: ${(error as Error).message}`;
      if (preferred !== undefined) throw new Error(`backend "${preferred}" failed to start: ${message}`);
      skipped.push(message);
      continue;
    }
    return { name: candidate.name, backend: tf.getBackend(), skipped };
  }
  throw new Error(`no tfjs backend could be started:\n  ${skipped.join("\n  ")}`);
}

function isNotInstalled(error: unknown, module: string): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = String((error as Error)?.message ?? "");
  return (
    (code === "ERR_MODULE_NOT_FOUND" ||
      code === "MODULE_NOT_FOUND" ||
      /Cannot find (module|package)|Could not resolve/.test(message)) &&
    message.includes(module)
  );
}
