import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DataType, Tensor, Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import type { NamedTensor } from "./adam";

/** Values of a list of tensors as stored on disk, in order. */
export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: DataType;
  values: Float32Array | Int32Array;
}

/** Everything a run needs to continue exactly where it stopped. */
export interface CheckpointState {
  /** Steps completed. */
  step: number;
  /** Prompts drawn from the training order so far. */
  dataPosition: number;
  /** The run's RNG state: every random choice is derived from (seed, step, index). */
  rng: { seed: number; step: number };
  /** Free-form extra state (e.g. the last metrics) that the trainer wants back. */
  extra?: Record<string, unknown>;
}

export interface CheckpointContents {
  policy: readonly Tensor[];
  reference: readonly Tensor[];
  optimizer: readonly NamedTensor[];
  state: CheckpointState;
}

export interface LoadedCheckpoint {
  dir: string;
  policy: SavedTensor[];
  reference: SavedTensor[];
  optimizer: SavedTensor[];
  state: CheckpointState;
}

const LATEST = "latest.json";
const stepDirName = (step: number) => `step-${String(step).padStart(8, "0")}`;

/** The folder holding a run's checkpoints. */
export function checkpointsDir(runDir: string): string {
  return join(runDir, "checkpoints");
}

/**
 * Writes a checkpoint atomically (a temporary folder renamed into place, then `latest.json` replaced by
 * rename), then deletes all but the newest `keep` checkpoints. A crash at any point leaves the previous
 * good checkpoint readable.
 *
 * @example
 * await saveCheckpoint("runs/a", { policy: vars, reference: refVars, optimizer: adam.getWeights(), state }, 2);
 */
export async function saveCheckpoint(
  runDir: string,
  contents: CheckpointContents,
  keep = 2,
): Promise<string> {
  const root = checkpointsDir(runDir);
  await mkdir(root, { recursive: true });
  const name = stepDirName(contents.state.step);
  const tmp = join(root, `${name}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  await writeTensors(
    join(tmp, "policy"),
    contents.policy.map((t, i) => ({ name: `policy/${i}`, tensor: t })),
  );
  await writeTensors(
    join(tmp, "reference"),
    contents.reference.map((t, i) => ({ name: `reference/${i}`, tensor: t })),
  );
  await writeTensors(join(tmp, "optimizer"), contents.optimizer);
  await writeFile(join(tmp, "state.json"), `${JSON.stringify(contents.state, null, 2)}\n`);
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  const latestTmp = join(root, `${LATEST}.tmp-${process.pid}`);
  await writeFile(latestTmp, `${JSON.stringify({ step: contents.state.step, dir: name })}\n`);
  await rename(latestTmp, join(root, LATEST));
  const old = (await readdir(root)).filter((n) => /^step-\d+$/.test(n) && n !== name).sort();
  const surplus = old.slice(0, Math.max(0, old.length - (keep - 1)));
  await Promise.all(surplus.map((n) => rm(join(root, n), { recursive: true, force: true })));
  return dir;
}

/**
 * Reads the newest checkpoint of a run. Errors name the file that is missing or unreadable.
 *
 * @example
 * const ckpt = await loadCheckpoint("runs/a");
 * restoreVariables(policy.trainableVariables, ckpt.policy, "policy");
 */
export async function loadCheckpoint(runDir: string): Promise<LoadedCheckpoint> {
  const root = checkpointsDir(runDir);
  const latestPath = join(root, LATEST);
  const latest = await readJson(latestPath, `no checkpoint to resume from in ${runDir}`);
  if (
    typeof latest !== "object" ||
    latest === null ||
    typeof (latest as { dir?: unknown }).dir !== "string"
  ) {
    throw new Error(`unreadable checkpoint pointer ${latestPath}: expected {"step", "dir"}`);
  }
  const dir = join(root, (latest as { dir: string }).dir);
  const stateFile = join(dir, "state.json");
  const state = (await readJson(stateFile)) as CheckpointState;
  if (
    typeof state?.step !== "number" ||
    typeof state.dataPosition !== "number" ||
    typeof state.rng?.seed !== "number"
  ) {
    throw new Error(`unreadable checkpoint state ${stateFile}: expected step, dataPosition and rng`);
  }
  return {
    dir,
    state,
    policy: await readTensors(join(dir, "policy")),
    reference: await readTensors(join(dir, "reference")),
    optimizer: await readTensors(join(dir, "optimizer")),
  };
}

/**
 * Assigns saved values to variables, checking count and shapes (the error names `label` and the variable).
 *
 * @example
 * restoreVariables(policy.trainableVariables, ckpt.policy, "policy");
 */
export function restoreVariables(
  variables: readonly Variable[],
  saved: readonly SavedTensor[],
  label: string,
): void {
  if (variables.length !== saved.length) {
    throw new Error(
      `checkpoint ${label}: holds ${saved.length} tensors, the model has ${variables.length} variables`,
    );
  }
  variables.forEach((variable, i) => {
    const entry = saved[i] as SavedTensor;
    if (entry.shape.join(",") !== variable.shape.join(",")) {
      throw new Error(
        `checkpoint ${label}: tensor ${i} (${variable.name}) has shape [${entry.shape}], the model expects [${variable.shape}]`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(entry.values, entry.shape, entry.dtype)));
  });
}

/** Saved tensors back as NamedTensors (the caller disposes them). */
export function toNamedTensors(saved: readonly SavedTensor[]): NamedTensor[] {
  return saved.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape, s.dtype) }));
}

async function writeTensors(base: string, tensors: readonly NamedTensor[]): Promise<void> {
  const specs: Array<Omit<SavedTensor, "values"> & { offset: number; length: number }> = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    if (tensor.dtype !== "float32" && tensor.dtype !== "int32") {
      throw new Error(
        `checkpoint: tensor ${name} has dtype ${tensor.dtype}; only float32 and int32 are stored`,
      );
    }
    const data = (await tensor.data()) as Float32Array | Int32Array;
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    chunks.push(Buffer.from(bytes));
    specs.push({ name, shape: [...tensor.shape], dtype: tensor.dtype, offset, length: data.length });
    offset += bytes.byteLength;
  }
  await writeFile(`${base}.bin`, Buffer.concat(chunks));
  await writeFile(`${base}.json`, `${JSON.stringify(specs)}\n`);
}

async function readTensors(base: string): Promise<SavedTensor[]> {
  const specFile = `${base}.json`;
  const binFile = `${base}.bin`;
  const specs = await readJson(specFile);
  let bin: Buffer;
  try {
    bin = await readFile(binFile);
  } catch (error) {
    throw new Error(`unreadable checkpoint file ${binFile}: ${(error as Error).message}`);
  }
  if (!Array.isArray(specs))
    throw new Error(`unreadable checkpoint file ${specFile}: expected a list of tensors`);
  return specs.map(
    (spec: { name: string; shape: number[]; dtype: DataType; offset: number; length: number }) => {
      const end = spec.offset + spec.length * 4;
      if (end > bin.byteLength || spec.length !== spec.shape.reduce((a, b) => a * b, 1)) {
        throw new Error(
          `unreadable checkpoint file ${binFile}: tensor ${spec.name} runs past the end of the file`,
        );
      }
      const copy = new Uint8Array(bin.subarray(spec.offset, end)).buffer;
      const values = spec.dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy);
      return { name: spec.name, shape: spec.shape, dtype: spec.dtype, values };
    },
  );
}

async function readJson(path: string, missingMessage?: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && missingMessage) throw new Error(`${missingMessage} (missing ${path})`);
    throw new Error(`unreadable checkpoint file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`unreadable checkpoint file ${path}: ${(error as Error).message}`);
  }
}
