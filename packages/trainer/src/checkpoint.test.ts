import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { Adam } from "./adam";
import {
  checkpointsDir,
  loadCheckpoint,
  restoreVariables,
  saveCheckpoint,
  toNamedTensors,
} from "./checkpoint";

const root = await mkdtemp(join(tmpdir(), "cppo-ckpt-"));
afterAll(() => rm(root, { recursive: true, force: true }));

function setup() {
  const policy = [
    tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    ),
    tf.variable(tf.tensor1d([0.5])),
  ];
  const reference = [
    tf.variable(
      tf.tensor2d([
        [9, 9],
        [9, 9],
      ]),
    ),
    tf.variable(tf.tensor1d([-1])),
  ];
  const adam = new Adam({ learningRate: 0.1 });
  const grads = [tf.ones([2, 2]), tf.ones([1])];
  adam.applyGradients(policy, grads);
  tf.dispose(grads);
  return { policy, reference, adam };
}

describe("checkpoints", () => {
  it("round-trips weights, reference, Adam state and run state exactly", async () => {
    const { policy, reference, adam } = setup();
    const state = { step: 3, dataPosition: 24, rng: { seed: 7, step: 3 } };
    await saveCheckpoint(root, { policy, reference, optimizer: adam.getWeights(), state });
    const loaded = await loadCheckpoint(root);
    expect(loaded.state).toEqual(state);
    expect(Array.from(loaded.policy[0]?.values ?? [])).toEqual(Array.from(policy[0]?.dataSync() ?? []));
    expect(Array.from(loaded.reference[0]?.values ?? [])).toEqual([9, 9, 9, 9]);
    expect(loaded.optimizer.map((t) => t.name)).toEqual(["iterations", "m/0", "m/1", "v/0", "v/1"]);
    expect(Array.from(loaded.optimizer[0]?.values ?? [])).toEqual([1]);

    const fresh = [tf.variable(tf.zeros([2, 2])), tf.variable(tf.zeros([1]))];
    restoreVariables(fresh, loaded.policy, "policy");
    expect(Array.from(fresh[0]?.dataSync() ?? [])).toEqual(Array.from(policy[0]?.dataSync() ?? []));
    const restored = new Adam({ learningRate: 0.1 });
    const named = toNamedTensors(loaded.optimizer);
    restored.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
    expect(restored.iterations).toBe(1);
    tf.dispose([...policy, ...reference, ...fresh]);
    adam.dispose();
    restored.dispose();
  });

  it("keeps only the newest checkpoints and points latest.json at the newest", async () => {
    const dir = join(root, "keep");
    const { policy, reference, adam } = setup();
    for (const step of [1, 2, 3, 4]) {
      await saveCheckpoint(
        dir,
        {
          policy,
          reference,
          optimizer: adam.getWeights(),
          state: { step, dataPosition: step, rng: { seed: 0, step } },
        },
        2,
      );
    }
    const names = (await readdir(checkpointsDir(dir))).sort();
    expect(names).toEqual(["latest.json", "step-00000003", "step-00000004"]);
    expect(JSON.parse(await readFile(join(checkpointsDir(dir), "latest.json"), "utf8")).step).toBe(4);
    tf.dispose([...policy, ...reference]);
    adam.dispose();
  });

  it("names the unreadable file and explains a shape mismatch", async () => {
    const dir = join(root, "bad");
    const { policy, reference, adam } = setup();
    await saveCheckpoint(dir, {
      policy,
      reference,
      optimizer: adam.getWeights(),
      state: { step: 1, dataPosition: 0, rng: { seed: 0, step: 1 } },
    });
    const bin = join(checkpointsDir(dir), "step-00000001", "policy.bin");
    await writeFile(bin, Buffer.alloc(4));
    await expect(loadCheckpoint(dir)).rejects.toThrow(`unreadable checkpoint file ${bin}`);
    await writeFile(join(checkpointsDir(dir), "latest.json"), "[]");
    await expect(loadCheckpoint(dir)).rejects.toThrow(/unreadable checkpoint pointer .*latest\.json/);
    await expect(loadCheckpoint(join(root, "none"))).rejects.toThrow(/no checkpoint to resume from/);

    const saved = [{ name: "x", shape: [3], dtype: "float32" as const, values: new Float32Array(3) }];
    const wrong = [tf.variable(tf.zeros([2]))];
    expect(() => restoreVariables(wrong, saved, "policy")).toThrow(
      /policy: tensor 0 .* has shape \[3\], the model expects \[2\]/,
    );
    expect(() => restoreVariables([], saved, "policy")).toThrow(/holds 1 tensors, the model has 0 variables/);
    tf.dispose([...policy, ...reference, ...wrong]);
    adam.dispose();
  });
});
