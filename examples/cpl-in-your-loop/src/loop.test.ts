import * as tf from "@tensorflow/tfjs";
import { beforeAll, expect, test } from "vitest";
import { runLoop } from "./loop";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

test("the loop learns the task and leaks no tensor", () => {
  const before = tf.memory().numTensors;
  const history = runLoop({ iterations: 60, seed: 3, cplWeight: 0.1 });
  expect(tf.memory().numTensors).toBe(before);
  const first = history[0]?.meanReward ?? 1;
  const last = history.slice(-5).reduce((sum, record) => sum + record.meanReward, 0) / 5;
  // A uniform policy gets 1/5 of tokens right; the trained one most of them.
  expect(first).toBeLessThan(0.5);
  expect(last).toBeGreaterThan(0.8);
});

test("perception tokens are found at the one position that needs the image", () => {
  const history = runLoop({ iterations: 60, seed: 3, cplWeight: 0.1 });
  const share = [0, 1, 2].map((t) =>
    history.slice(-10).reduce((sum, r) => sum + (r.selectedShare[t] ?? 0), 0),
  );
  expect(share[0]).toBeGreaterThan((share[1] ?? 0) + (share[2] ?? 0));
});

test("the same seed reproduces the run", () => {
  const a = runLoop({ iterations: 5, seed: 7, cplWeight: 0.1 });
  const b = runLoop({ iterations: 5, seed: 7, cplWeight: 0.1 });
  expect(b).toEqual(a);
});
