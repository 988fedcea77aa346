import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { lengthReward, tinyConfig, tinyDataset } from "../test/fixtures";
import { ToyPolicy } from "../test/toy-policy";
import { readMetrics } from "./report";
import { train } from "./train";

const root = await mkdtemp(join(tmpdir(), "cppo-train-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const TIMING = new Set(["step_time", "tokens_per_second"]);
const withoutTiming = (records: Array<Record<string, unknown>>) =>
  records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING.has(k))));

const run = (runDir: string, extra: Parameters<typeof train>[1] = {}, steps = 4) =>
  train(
    { ...tinyConfig, algo: "cppo", steps, runDir },
    { policy: new ToyPolicy(5), dataset: tinyDataset(), reward: lengthReward, stream: null, ...extra },
  );

describe("train", () => {
  it("resumes exactly: a run stopped after step 2 and resumed matches the uninterrupted run step for step", async () => {
    const full = await run(join(root, "full"));
    expect(full.status).toBe("done");
    expect(full.steps).toBe(4);

    const partDir = join(root, "part");
    const stopped = await run(partDir, { onStep: (m) => (m.step === 2 ? "stop" : undefined) });
    expect(stopped.status).toBe("stopped");
    expect(stopped.steps).toBe(2);
    // A resumed run gets a fresh (differently initialised) policy: everything must come from the checkpoint.
    const resumed = await train(JSON.parse(await readFile(join(partDir, "config.json"), "utf8")), {
      policy: new ToyPolicy(99),
      dataset: tinyDataset(),
      reward: lengthReward,
      stream: null,
      resume: partDir,
    });
    expect(resumed.steps).toBe(4);

    const a = await readMetrics(join(root, "full", "metrics.jsonl"));
    const b = await readMetrics(join(partDir, "metrics.jsonl"));
    expect(b.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    expect(withoutTiming(b)).toEqual(withoutTiming(a));
    const config = JSON.parse(await readFile(join(partDir, "config.json"), "utf8"));
    expect(config.cpl.tau).toBe(0.1);
    expect(config.runDir).toBe(partDir);
  });

  it("an aborted signal ends the run after the current step with a checkpoint", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s), isTTY: false } as unknown as NodeJS.WritableStream;
    const result = await run(join(root, "abort"), {
      stream,
      onStep: () => {
        controller.abort();
        return undefined;
      },
      signal: controller.signal,
    });
    expect(result.status).toBe("stopped");
    expect(result.steps).toBe(1);
    const latest = JSON.parse(await readFile(join(root, "abort", "checkpoints", "latest.json"), "utf8"));
    expect(latest.step).toBe(1);
    expect(lines.join("")).toMatch(/Resume with: cppo train --resume .*abort/);
  });

  it("rejects a bad config before any work, naming the key path", async () => {
    await expect(train({ cpl: { tua: 1 } } as never, { stream: null })).rejects.toThrow(
      /cpl\.tua: unknown key/,
    );
    await expect(train({ rollout: { groupSize: 0 } }, { stream: null })).rejects.toThrow(
      /rollout\.groupSize/,
    );
  });

  it("names the missing data root", async () => {
    await expect(
      train(
        { data: { source: "virl39k", root: join(root, "nowhere") }, runDir: join(root, "d") },
        { stream: null },
      ),
    ).rejects.toThrow(/data root .*nowhere does not exist/);
    await expect(
      train({ data: { source: "geometry3k" }, runDir: join(root, "e") }, { stream: null }),
    ).rejects.toThrow(/needs data\.root/);
  });

  it("names the unreadable checkpoint file when resuming", async () => {
    const dir = join(root, "broken");
    await run(dir, {}, 1);
    const latest = JSON.parse(await readFile(join(dir, "checkpoints", "latest.json"), "utf8"));
    const stateFile = join(dir, "checkpoints", latest.dir, "state.json");
    await writeFile(stateFile, "{ not json");
    await expect(run(dir, { resume: dir })).rejects.toThrow(
      new RegExp(`unreadable checkpoint file ${stateFile}`),
    );
    await expect(run(join(root, "never"), { resume: join(root, "never") })).rejects.toThrow(
      /no checkpoint to resume from/,
    );
  });
});

describe("train with a NaN loss", () => {
  it("stops with a clear message and keeps the last good checkpoint", async () => {
    const dir = join(root, "nan");
    const policy = new ToyPolicy(5);
    const poison = (step: number) => {
      if (step === 1) {
        const v = policy.trainableVariables[2];
        if (v) v.assign(tf.mul(v, Number.NaN));
      }
      return undefined;
    };
    await expect(
      train(
        { ...tinyConfig, algo: "cppo", steps: 4, runDir: dir },
        { policy, dataset: tinyDataset(), reward: lengthReward, stream: null, onStep: (m) => poison(m.step) },
      ),
    ).rejects.toThrow(/step 2: the loss \(NaN\) is not finite.*last good checkpoint is step 1/s);
    const latest = JSON.parse(await readFile(join(dir, "checkpoints", "latest.json"), "utf8"));
    expect(latest.step).toBe(1);
    policy.dispose();
  });
});
