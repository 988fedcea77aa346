import { CharTokenizer, TinyVLM } from "@cppo/vlm";

/** Saves a TinyVLM small enough for a CLI run of a few seconds (16 px images, one layer) to `dir`. */
export async function saveTinyModel(dir: string, seed: number): Promise<void> {
  const model = TinyVLM.create(
    { imageSize: 16, patchSize: 8, dModel: 16, nLayers: 1, nHeads: 2, dFF: 32, maxTokens: 96, seed },
    new CharTokenizer(),
  );
  await model.save(dir);
  model.dispose();
}

/** A writable stream that keeps what is written, for checking a command's output. */
export function captureStream(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = "";
  const stream = {
    write: (s: string) => {
      text += s;
      return true;
    },
    isTTY: false,
  } as unknown as NodeJS.WritableStream;
  return { stream, text: () => text };
}

/** Flags that make every rollout of a CLI run tiny: 2 prompts x 2 responses of at most 6 tokens, 16 px images. */
export const TINY_ROLLOUT_FLAGS = [
  "--prompts",
  "2",
  "--group-size",
  "2",
  "--max-new-tokens",
  "6",
  "--data.imageSize",
  "16",
];
