import { join } from "node:path";
import type { Tokenizer } from "@cppo/vlm";
import { Tokenizer as HubTokenizer } from "@huggingface/tokenizers";
import { readJson } from "./read-json";

/** What {@link HfTokenizer.toJSON} returns: where the tokenizer came from (its files are copied on save). */
export interface HfTokenizerJSON {
  type: "huggingface";
  vocabSize: number;
  bosId: number;
  eosId: number;
  padId: number;
}

function tokenText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { content?: unknown }).content === "string") {
    return (value as { content: string }).content;
  }
  return undefined;
}

function firstId(value: unknown): number | undefined {
  const id = Array.isArray(value) ? value[0] : value;
  return typeof id === "number" && Number.isInteger(id) ? id : undefined;
}

/**
 * A Hugging Face `tokenizer.json` tokenizer (through `@huggingface/tokenizers`, offline) behind the
 * {@link Tokenizer} interface the trainer uses. `encode` adds no special tokens (chat templates write them);
 * `decode` writes special tokens out and drops padding.
 *
 * @example
 * const tokenizer = await HfTokenizer.fromDir("models/SmolVLM-256M-Instruct", 49280);
 * tokenizer.encode("<image>"); // [49190]
 */
export class HfTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  /** The special tokens' texts by role (`bos_token`, `eos_token`, ...), for chat templates. */
  readonly specialTokens: Record<string, string>;
  private readonly inner: HubTokenizer;

  private constructor(
    inner: HubTokenizer,
    ids: { vocabSize: number; padId: number; bosId: number; eosId: number },
    specialTokens: Record<string, string>,
  ) {
    this.inner = inner;
    this.vocabSize = ids.vocabSize;
    this.padId = ids.padId;
    this.bosId = ids.bosId;
    this.eosId = ids.eosId;
    this.specialTokens = specialTokens;
  }

  /**
   * Reads `tokenizer.json` and `tokenizer_config.json` (and `generation_config.json`, whose
   * `eos_token_id` / `pad_token_id` win, as in transformers' generate) from `dir`. `vocabSize` is the model's
   * (its logits' width), which may exceed the tokenizer's.
   */
  static async fromDir(dir: string, vocabSize: number): Promise<HfTokenizer> {
    const tokenizerJson = (await readJson(join(dir, "tokenizer.json"))) as Record<string, unknown>;
    const config = (await readJson(join(dir, "tokenizer_config.json"), "optional")) ?? {};
    const generation = (await readJson(join(dir, "generation_config.json"), "optional")) ?? {};
    const inner = new HubTokenizer(tokenizerJson, config);
    const specialTokens: Record<string, string> = {};
    for (const role of ["bos_token", "eos_token", "pad_token", "unk_token"]) {
      const text = tokenText(config[role]);
      if (text !== undefined) specialTokens[role] = text;
    }
    const idOf = (role: string) => {
      const text = specialTokens[role];
      return text === undefined ? undefined : inner.token_to_id(text);
    };
    const eosId = firstId(generation.eos_token_id) ?? idOf("eos_token");
    if (eosId === undefined) {
      throw new Error(
        `${dir}: no end-of-sequence token (generation_config.json eos_token_id or tokenizer_config.json eos_token)`,
      );
    }
    const padId = firstId(generation.pad_token_id) ?? idOf("pad_token") ?? eosId;
    const bosId = firstId(generation.bos_token_id) ?? idOf("bos_token") ?? padId;
    const largest = Math.max(...inner.get_vocab(true).values());
    if (largest >= vocabSize) {
      throw new Error(
        `${dir}/tokenizer.json has token id ${largest}, outside the model's vocab_size ${vocabSize}`,
      );
    }
    return new HfTokenizer(inner, { vocabSize, padId, bosId, eosId }, specialTokens);
  }

  /** The id of a token's text (special tokens included), or undefined. */
  tokenId(token: string): number | undefined {
    return this.inner.token_to_id(token);
  }

  encode(text: string): number[] {
    return this.inner.encode(text, { add_special_tokens: false }).ids;
  }

  /**
   * Offsets are found by decoding growing prefixes of the ids, so they are exact where decoding gives back
   * the text (byte-level BPE on valid UTF-8 does) and clipped to the text otherwise.
   */
  encodeWithOffsets(text: string): { ids: number[]; offsets: Array<[number, number]> } {
    const ids = this.encode(text);
    const offsets: Array<[number, number]> = [];
    let previous = 0;
    for (let i = 0; i < ids.length; i++) {
      const end = Math.min(
        text.length,
        this.inner.decode(ids.slice(0, i + 1), { skip_special_tokens: false }).length,
      );
      offsets.push([Math.min(previous, end), end]);
      previous = end;
    }
    return { ids, offsets };
  }

  decode(ids: readonly number[]): string {
    return this.inner.decode(
      ids.filter((id) => id !== this.padId),
      { skip_special_tokens: false, clean_up_tokenization_spaces: false },
    );
  }

  toJSON(): HfTokenizerJSON {
    return {
      type: "huggingface",
      vocabSize: this.vocabSize,
      bosId: this.bosId,
      eosId: this.eosId,
      padId: this.padId,
    };
  }
}
