import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface MemoryResult {
  steps: number;
  /** `tf.memory().numTensors` after every step (onStep). */
  tensorsAfterStep: number[];
  firstTensors: number;
  lastTensors: number;
  maxTensors: number;
  /** Peak resident set of the child process running the training, in MiB. */
  peakRssMiB: number;
  trainSeconds: number;
}

const CHILD = fileURLToPath(new URL("./costs-memory-child.ts", import.meta.url));

/**
 * Peak memory and tensors alive of a default CPPO `train()` run of `steps` steps (evaluations off), in a child
 * process so its own peak resident memory is measured, not this script's.
 */
export async function measureMemory(backend: string, steps: number): Promise<MemoryResult> {
  const args = [...process.execArgv, CHILD, "--backend", backend, "--steps", String(steps)];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`memory child (${CHILD}) exited with code ${code}`)),
    );
  });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  let parsed: { tensorsAfterStep: number[]; peakRssMiB: number; seconds: number };
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`memory child printed no JSON result; its last line was: ${line.slice(0, 200)}`);
  }
  const tensors = parsed.tensorsAfterStep;
  return {
    steps,
    tensorsAfterStep: tensors,
    firstTensors: tensors[0] ?? 0,
    lastTensors: tensors.at(-1) ?? 0,
    maxTensors: Math.max(0, ...tensors),
    peakRssMiB: parsed.peakRssMiB,
    trainSeconds: parsed.seconds,
  };
}
