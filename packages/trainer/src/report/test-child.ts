// Test helper (not exported): runs a TypeScript snippet in a child node process and SIGKILLs it mid-work.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/** Absolute path of a module in this folder, for a child script to import. */
export function here(file: string): string {
  return fileURLToPath(new URL(file, import.meta.url));
}

/**
 * Starts `node --import tsx` on `source` (written into `dir`), waits until `ready()` holds (polled), then
 * kills it with SIGKILL, as a crash or power cut would, and resolves once it is gone.
 */
export async function runAndKill(
  dir: string,
  source: string,
  ready: () => Promise<boolean>,
  timeoutMs = 20_000,
) {
  const script = join(dir, "child.mts");
  await writeFile(script, source);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: packageDir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  try {
    while (!(await ready())) {
      if (child.exitCode !== null) throw new Error(`child exited early (${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline) throw new Error(`child not ready after ${timeoutMs} ms: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}
