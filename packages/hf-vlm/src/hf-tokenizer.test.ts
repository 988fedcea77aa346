import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureDir } from "../test/fixtures";
import { HfTokenizer } from "./hf-tokenizer";

const dir = fixtureDir("tiny-idefics3-tied");
let tokenizer: HfTokenizer;
let id: (token: string) => number;

beforeAll(async () => {
  tokenizer = await HfTokenizer.fromDir(dir, 112);
  // ids straight from the file, to check the library against
  const json = JSON.parse(await readFile(join(dir, "tokenizer.json"), "utf8"));
  const vocab = new Map<string, number>(Object.entries(json.model.vocab));
  for (const added of json.added_tokens) vocab.set(added.content, added.id);
  id = (token) => {
    const found = vocab.get(token);
    if (found === undefined) throw new Error(`no token ${token}`);
    return found;
  };
});

describe("HfTokenizer", () => {
  it("takes the special ids from generation_config.json and tokenizer_config.json", () => {
    expect(tokenizer.eosId).toBe(id("<end_of_utterance>"));
    expect(tokenizer.padId).toBe(id("<|im_end|>"));
    expect(tokenizer.bosId).toBe(id("<|im_start|>"));
    expect(tokenizer.vocabSize).toBe(112);
    expect(tokenizer.specialTokens).toMatchObject({
      bos_token: "<|im_start|>",
      eos_token: "<end_of_utterance>",
    });
  });

  it("encodes byte-level BPE with the file's merges and keeps special tokens whole", () => {
    // merges (h, e) and (i, s) apply; (t, he) and (G, c) are not merges; digits split one by one
    expect(tokenizer.encode("the cat is 12")).toEqual(
      ["t", "he", "Ġ", "c", "a", "t", "Ġ", "is", "Ġ", "1", "2"].map((t) => id(t)),
    );
    expect(tokenizer.encode("<image><image>User:")).toEqual([
      id("<image>"),
      id("<image>"),
      id("User"),
      id(":"),
    ]);
  });

  it("decodes back to the text, special tokens written out, padding dropped", () => {
    const ids = tokenizer.encode("<|im_start|>User: the sky?<end_of_utterance>\n");
    expect(tokenizer.decode(ids)).toBe("<|im_start|>User: the sky?<end_of_utterance>\n");
    expect(tokenizer.decode([tokenizer.padId, ...tokenizer.encode("hi"), tokenizer.padId])).toBe("hi");
  });

  it("gives each token the span of text it covers", () => {
    const { ids, offsets } = tokenizer.encodeWithOffsets("the cat");
    expect(ids.length).toBe(6);
    expect(offsets).toEqual([
      [0, 1],
      [1, 3],
      [3, 4],
      [4, 5],
      [5, 6],
      [6, 7],
    ]);
  });

  it("refuses a model vocabulary smaller than the tokenizer's", async () => {
    await expect(HfTokenizer.fromDir(dir, 50)).rejects.toThrow(
      /tokenizer\.json has token id 110, outside the model's vocab_size 50/,
    );
  });
});
