import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { Adam } from "./adam";

/** Plain-number Adam, written out from the paper's algorithm. */
function referenceAdam(x0: number[], grad: (x: number[]) => number[], steps: number, lr: number) {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const x = [...x0];
  const m = x.map(() => 0);
  const v = x.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = grad(x);
    for (let i = 0; i < x.length; i++) {
      m[i] = b1 * (m[i] as number) + (1 - b1) * (g[i] as number);
      v[i] = b2 * (v[i] as number) + (1 - b2) * (g[i] as number) ** 2;
      const mHat = (m[i] as number) / (1 - b1 ** t);
      const vHat = (v[i] as number) / (1 - b2 ** t);
      x[i] = (x[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
  return x;
}

describe("Adam", () => {
  const grad = (x: number[]) => x.map((xi, i) => 2 * (xi - i)); // d/dx of sum (x_i - i)^2

  it("matches a plain-number Adam on a quadratic", () => {
    const w = tf.variable(tf.tensor1d([3, -1, 0.5]));
    const adam = new Adam({ learningRate: 0.05 });
    for (let s = 0; s < 20; s++) {
      const g = tf.tensor1d(grad(Array.from(w.dataSync())));
      adam.applyGradients([w], [g]);
      g.dispose();
    }
    const expected = referenceAdam([3, -1, 0.5], grad, 20, 0.05);
    Array.from(w.dataSync()).forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i] as number, 4);
    });
    expect(adam.iterations).toBe(20);
    adam.dispose();
    w.dispose();
  });

  it("continues bit-for-bit after getWeights/setWeights into a fresh optimizer", () => {
    const run = (split: boolean) => {
      const w = tf.variable(tf.tensor1d([3, -1, 0.5]));
      let adam = new Adam({ learningRate: 0.05 });
      for (let s = 0; s < 10; s++) {
        if (split && s === 4) {
          const saved = adam.getWeights().map((n) => ({ name: n.name, tensor: n.tensor.clone() }));
          adam.dispose();
          adam = new Adam({ learningRate: 0.05 });
          adam.setWeights(saved);
          for (const n of saved) n.tensor.dispose();
        }
        const g = tf.tensor1d(grad(Array.from(w.dataSync())));
        adam.applyGradients([w], [g]);
        g.dispose();
      }
      const out = Array.from(w.dataSync());
      adam.dispose();
      w.dispose();
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  it("does not leak tensors across updates and rejects mismatched input", () => {
    const w = tf.variable(tf.zeros([2, 2]));
    const adam = new Adam({ learningRate: 0.1 });
    const g = tf.ones([2, 2]);
    adam.applyGradients([w], [g]);
    const before = tf.memory().numTensors;
    adam.applyGradients([w], [g]);
    expect(tf.memory().numTensors).toBe(before);
    // getWeights, as a checkpoint calls it after every few updates, owns what it returns: nothing piles up.
    const state = adam.getWeights();
    expect(state[0]?.tensor.dataSync()[0]).toBe(2);
    adam.getWeights();
    adam.applyGradients([w], [g]);
    expect(adam.getWeights()[0]?.tensor.dataSync()[0]).toBe(3);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(() => adam.applyGradients([w], [])).toThrow(/1 variables/);
    expect(() => adam.setWeights([])).toThrow(/iterations/);
    adam.dispose();
    g.dispose();
    w.dispose();
    // w, g, both moments and the step count are gone.
    expect(tf.memory().numTensors).toBe(before - 4);
  });
});
