import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { informationRemoving } from "@cppo/perturb";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { tinyDataset } from "../test/fixtures";
import { ToyPolicy } from "../test/toy-policy";
import { writePerceptionExample } from "./perception-example";

const dir = await mkdtemp(join(tmpdir(), "cppo-perception-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("writePerceptionExample", () => {
  it("marks detected tokens of the reference response, with data-synth's labels as truth, and draws them", async () => {
    const policy = new ToyPolicy(3);
    const example = await tinyDataset().get(0);
    const before = tf.memory().numTensors;
    // Whether the random toy policy has any candidate depends on the drawn view: take the first seed that does.
    let result = await writePerceptionExample(join(dir, "p"), {
      policy,
      example,
      view: informationRemoving(),
      seed: 1,
    });
    for (let seed = 2; seed < 20 && !result.selected.some(Boolean); seed++) {
      result = await writePerceptionExample(join(dir, "p"), {
        policy,
        example,
        view: informationRemoving(),
        seed,
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    const reference = example.referenceResponse as string;
    const labels = example.perceptionLabels as Uint8Array;
    // The toy tokenizer is one character per token, so token i's truth is simply label i.
    expect(result.tokens.join("")).toBe(reference);
    expect(result.truth).toEqual(Array.from(labels, (v) => v > 0));
    const selected = result.selected.filter(Boolean).length;
    const hits = result.selected.filter((s, i) => s && result.truth?.[i]).length;
    expect(selected).toBeGreaterThan(0);
    expect(result.precision).toBeCloseTo(hits / selected, 10);
    expect(result.recall).toBeCloseTo(hits / labels.reduce((a, v) => a + (v > 0 ? 1 : 0), 0), 10);
    expect((await stat(join(dir, "p.svg"))).size).toBeGreaterThan(100);
    policy.dispose();
  });
});
