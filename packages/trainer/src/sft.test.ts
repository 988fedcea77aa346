import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTinyVLM } from "@cppo/vlm";
import { afterAll, describe, expect, it } from "vitest";
import { sft } from "./sft";

const dir = await mkdtemp(join(tmpdir(), "cppo-sft-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("sft", () => {
  it("fine-tunes a fresh TinyVLM on data-synth, lowers the loss and saves a loadable checkpoint", async () => {
    const out = join(dir, "warm");
    const { policy, losses } = await sft({
      out,
      preset: "nano",
      model: { imageSize: 16, patchSize: 8, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, maxTokens: 128 },
      steps: 12,
      batchSize: 4,
      learningRate: 1e-2,
      trainSize: 16,
      imageSize: 16,
    });
    expect(losses).toHaveLength(12);
    expect(losses.every(Number.isFinite)).toBe(true);
    const head = (losses[0] as number) + (losses[1] as number);
    const tail = (losses[10] as number) + (losses[11] as number);
    expect(tail).toBeLessThan(head);
    const loaded = await loadTinyVLM(out);
    expect(loaded.trainableVariables.map((v) => Array.from(v.dataSync()))).toEqual(
      policy.trainableVariables.map((v) => Array.from(v.dataSync())),
    );
    loaded.dispose();
    policy.dispose();
  });

  it("rejects an unknown preset", async () => {
    await expect(sft({ preset: "huge" as never, steps: 1 })).rejects.toThrow(/unknown preset "huge"/);
  });
});
