import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mulberry32 } from "@cppo/random";
import type { ForwardInput, GenerateInput, Generation, Tokenizer, VisionLanguagePolicy } from "@cppo/vlm";
import type { Tensor3D, Variable } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

let instances = 0;
const uniqueName = (base: string) => `${base}#${instances++}`;

/** Specials then printable ASCII and newline: enough for any prompt or answer the tests use. */
export class ToyTokenizer implements Tokenizer {
  readonly padId = 0;
  readonly bosId = 1;
  readonly eosId = 2;
  readonly vocabSize = 3 + 96;
  encode(text: string): number[] {
    return [...text].map((c) => (c === "\n" ? 3 : Math.min(Math.max(c.charCodeAt(0) - 32, 0), 94) + 4));
  }
  encodeWithOffsets(text: string) {
    return { ids: this.encode(text), offsets: [...text].map((_, i) => [i, i + 1] as [number, number]) };
  }
  decode(ids: readonly number[]): string {
    return ids
      .filter((id) => id > 2)
      .map((id) => (id === 3 ? "\n" : String.fromCharCode(id - 4 + 32)))
      .join("");
  }
  toJSON() {
    return { type: "toy" };
  }
}

/**
 * A bigram language model conditioned on the mean colour of the image: `logits_l = tanh(E[x_l] + U f) W`.
 * Tiny and exact to reason about; generation feeds only the last token (that is all the model looks at).
 */
export class ToyPolicy implements VisionLanguagePolicy {
  readonly tokenizer = new ToyTokenizer();
  readonly imageSize: number;
  readonly trainableVariables: Variable[];

  constructor(seed = 0, imageSize = 8, hidden = 8, variables?: Variable[]) {
    this.imageSize = imageSize;
    const v = this.tokenizer.vocabSize;
    this.trainableVariables =
      variables ??
      tf.tidy(() => [
        tf.variable(tf.randomNormal([v, hidden], 0, 0.5, "float32", seed), true, uniqueName("toy/embed")),
        tf.variable(tf.randomNormal([3, hidden], 0, 1, "float32", seed + 1), true, uniqueName("toy/image")),
        tf.variable(tf.randomNormal([hidden, v], 0, 0.5, "float32", seed + 2), true, uniqueName("toy/out")),
      ]);
  }

  forward({ images, inputIds }: ForwardInput): Tensor3D {
    return tf.tidy(() => {
      const [embed, image, out] = this.trainableVariables as [Variable, Variable, Variable];
      const [b, l] = inputIds.shape;
      const colour = tf.mean(images, [1, 2]); // [B, 3]
      const imageFeature = tf.reshape(tf.matMul(colour, image), [b, 1, -1]);
      const tokens = tf.gather(embed, tf.cast(inputIds, "int32")); // [B, L, H]
      const hidden = tf.tanh(tf.add(tokens, imageFeature));
      return tf.reshape(tf.matMul(tf.reshape(hidden, [b * l, -1]), out), [b, l, -1]) as Tensor3D;
    });
  }

  async generate({
    images,
    promptIds,
    maxNewTokens,
    temperature = 1,
    seed,
  }: GenerateInput): Promise<Generation> {
    const next = mulberry32(seed);
    const rows = promptIds.length;
    const tokens: number[][] = promptIds.map(() => []);
    const logProbs: number[][] = promptIds.map(() => []);
    const done = promptIds.map(() => false);
    let last = promptIds.map((p) => p[p.length - 1] ?? this.tokenizer.bosId);
    for (let s = 0; s < maxNewTokens && done.some((d) => !d); s++) {
      const logits = tf.tidy(() => this.forward({ images, inputIds: tf.tensor2d(last, [rows, 1], "int32") }));
      const values = await logits.data();
      logits.dispose();
      const v = this.tokenizer.vocabSize;
      last = last.map((prev, r) => {
        if (done[r]) return prev;
        const row = Array.from(values.subarray(r * v, (r + 1) * v));
        const pick = sample(row, temperature, next());
        const max = Math.max(...row);
        const logZ = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
        (tokens[r] as number[]).push(pick);
        (logProbs[r] as number[]).push((row[pick] as number) - logZ);
        if (pick === this.tokenizer.eosId) done[r] = true;
        return pick;
      });
    }
    return { tokens, logProbs, lengths: tokens.map((t) => t.length) };
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const values = await Promise.all(this.trainableVariables.map(async (v) => Array.from(await v.data())));
    await writeFile(join(dir, "toy.json"), JSON.stringify(values));
  }

  clone(): ToyPolicy {
    const copies = this.trainableVariables.map((v) =>
      tf.variable(v.clone(), true, uniqueName(`${v.name}/clone`)),
    );
    return new ToyPolicy(0, this.imageSize, copies[0]?.shape[1] ?? 8, copies);
  }

  dispose(): void {
    for (const v of this.trainableVariables) v.dispose();
  }
}

function sample(logits: number[], temperature: number, u: number): number {
  const scaled = logits.map((x) => x / temperature);
  const max = Math.max(...scaled);
  const weights = scaled.map((x) => Math.exp(x - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] as number) / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}
