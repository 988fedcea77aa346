import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureStream as capture, saveTinyModel, TINY_ROLLOUT_FLAGS } from "../test/cli-fixtures";
import { readMetrics } from "./report";
import { runCli } from "./run-cli";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const root = await mkdtemp(join(tmpdir(), "cppo-cli-"));
const modelDir = join(root, "model");
afterAll(() => rm(root, { recursive: true, force: true }));

beforeAll(() => saveTinyModel(modelDir, 3));

const tinyRun = (runDir: string, steps = 4) => [
  "train",
  "--checkpoint",
  modelDir,
  "--run-dir",
  runDir,
  "--steps",
  String(steps),
  "--seed",
  "2",
  ...TINY_ROLLOUT_FLAGS,
  "--data.trainSize",
  "20",
  "--eval.before",
  "false",
  "--eval.after",
  "false",
  "--log.checkpointEvery",
  "1",
  "--log.plots",
  "false",
  "--backend",
  "cpu",
];

function spawnCli(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    ["--conditions=@cppo/source", "--import", "tsx", "src/cli.ts", ...args],
    {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitForCheckpoint(runDir: string, step: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const latest = await readFile(join(runDir, "checkpoints", "latest.json"), "utf8").catch(() => null);
    if (latest && JSON.parse(latest).step >= step) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no checkpoint of step ${step} in ${runDir} within ${timeoutMs} ms`);
}

const TIMING = new Set(["step_time", "tokens_per_second"]);
const withoutTiming = (records: Array<Record<string, unknown>>) =>
  records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.has(k))));

describe("cppo CLI", () => {
  it("prints help for the command and each subcommand, documenting every flag", async () => {
    const out = capture();
    expect(await runCli(["--help"], { stdout: out.stream, stderr: out.stream })).toBe(0);
    expect(out.text()).toMatch(/Commands:\n {2}train.*\n {2}eval.*\n {2}compare.*\n {2}sft/);
    for (const command of ["train", "eval", "compare", "sft"]) {
      const help = capture();
      expect(await runCli([command, "--help"], { stdout: help.stream, stderr: help.stream })).toBe(0);
      expect(help.text()).toContain(`Usage: cppo ${command}`);
      expect(help.text()).toContain("--backend");
    }
  });

  it("rejects unknown commands, flags and config values with exit code 2 or 1 and a clear message", async () => {
    const out = capture();
    expect(await runCli(["fly"], { stdout: out.stream, stderr: out.stream })).toBe(2);
    expect(out.text()).toContain('unknown command "fly"');
    const flag = capture();
    expect(await runCli(["train", "--cpl.tua", "1"], { stdout: flag.stream, stderr: flag.stream })).toBe(2);
    expect(flag.text()).toContain("unknown flag --cpl.tua");
    const value = capture();
    expect(await runCli(["train", "--algo", "ppo"], { stdout: value.stream, stderr: value.stream })).toBe(1);
    expect(value.text()).toMatch(/invalid config:\n {2}algo:/);
    const data = capture();
    const args = ["train", "--data", "virl39k", "--data-root", join(root, "absent"), "--backend", "cpu"];
    expect(await runCli(args, { stdout: data.stream, stderr: data.stream })).toBe(1);
    expect(data.text()).toMatch(/data root .*absent does not exist/);
    const ckpt = capture();
    expect(
      await runCli(["eval", "--policy", join(root, "absent"), "--backend", "cpu"], {
        stdout: ckpt.stream,
        stderr: ckpt.stream,
      }),
    ).toBe(1);
    expect(ckpt.text()).toMatch(/absent.*config\.json/);
  });

  it("eval prints a table and writes the result as JSON", async () => {
    const out = capture();
    const file = join(root, "eval.json");
    const args = ["eval", "--policy", modelDir, "--size", "3", "--k", "2", "--max-new-tokens", "4"];
    const code = await runCli([...args, "--image-size", "16", "--out", file, "--backend", "cpu"], {
      stdout: out.stream,
      stderr: out.stream,
    });
    expect(code, out.text()).toBe(0);
    expect(out.text()).toMatch(/accuracy@2\s+std\s+pass@2\s+format/);
    const result = JSON.parse(await readFile(file, "utf8"));
    expect(result).toMatchObject({ problems: 3, k: 2 });
    expect(result.runAccuracy).toHaveLength(2);
  });

  it("resumes exactly after the process is killed with SIGKILL past checkpoint 2", async () => {
    const reference = join(root, "reference");
    const out = capture();
    expect(await runCli(tinyRun(reference, 6), { stdout: out.stream, stderr: out.stream })).toBe(0);
    expect(out.text()).toContain("backend: cpu");

    const killed = join(root, "killed");
    const run = spawnCli(tinyRun(killed, 6));
    await waitForCheckpoint(killed, 2);
    run.child.kill("SIGKILL");
    await run.exit;
    const partial = await readMetrics(join(killed, "metrics.jsonl"));
    expect(partial.length).toBeGreaterThanOrEqual(2);

    const resumed = capture();
    const code = await runCli(["train", "--resume", killed, "--backend", "cpu"], {
      stdout: resumed.stream,
      stderr: resumed.stream,
    });
    expect(code, resumed.text()).toBe(0);
    // The kill landed mid-run: the resumed process had steps left to do.
    expect(resumed.text()).toMatch(/resuming .*killed from step [2-5]\n/);
    const a = await readMetrics(join(reference, "metrics.jsonl"));
    const b = await readMetrics(join(killed, "metrics.jsonl"));
    expect(b.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(withoutTiming(b)).toEqual(withoutTiming(a));
  });

  it("on SIGINT writes a checkpoint, exits with 130 and says how to resume", async () => {
    const dir = join(root, "interrupted");
    const run = spawnCli(tinyRun(dir, 200));
    await waitForCheckpoint(dir, 1);
    run.child.kill("SIGINT");
    const code = await run.exit;
    expect(code, run.output()).toBe(130);
    expect(run.output()).toContain(`Resume with: cppo train --resume ${dir}`);
    const latest = JSON.parse(await readFile(join(dir, "checkpoints", "latest.json"), "utf8"));
    const metrics = await readMetrics(join(dir, "metrics.jsonl"));
    expect(latest.step).toBe(metrics.length);
  });
});
