import type { Tokenizer } from "./policy";

const SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"] as const;
/** `\n` plus printable ASCII 32-126. */
const CHAR_COUNT = 96;
const DEFAULT_PIECES = ["<think>", "</think>", "\\boxed{", "<image>"];

/** The serialised form of a {@link CharTokenizer} (what `toJSON` returns and `fromJSON` takes). */
export interface CharTokenizerJSON {
  type: "char";
  /** Multi-character pieces matched greedily, longest first, before single characters. */
  pieces: string[];
}

/**
 * Character tokenizer: `<pad> <bos> <eos> <unk>`, then the multi-character pieces, then `\n` and printable
 * ASCII (32-126). Anything else encodes to `<unk>`. Special tokens are never matched in input text, so a
 * literal `"<eos>"` in a prompt stays five characters.
 *
 * @example
 * const tok = new CharTokenizer();
 * tok.decode(tok.encode("<think>1+2=3</think>\\boxed{3}")); // same string, 13 ids
 */
export class CharTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly padId = 0;
  readonly bosId = 1;
  readonly eosId = 2;
  readonly unkId = 3;
  /** Every token's text, indexed by id. */
  readonly vocab: readonly string[];
  private readonly pieces: string[];
  private readonly idByText: Map<string, number>;

  constructor(pieces: readonly string[] = DEFAULT_PIECES) {
    for (const piece of pieces) {
      if (typeof piece !== "string" || piece.length < 2) {
        throw new Error(
          `CharTokenizer: pieces must be strings of at least 2 characters, got ${JSON.stringify(piece)}`,
        );
      }
    }
    const unique = [...new Set(pieces)];
    const chars = ["\n"];
    for (let c = 32; c <= 126; c++) chars.push(String.fromCharCode(c));
    this.vocab = [...SPECIALS, ...unique, ...chars];
    this.vocabSize = this.vocab.length;
    this.pieces = [...unique].sort((a, b) => b.length - a.length);
    this.idByText = new Map();
    this.vocab.forEach((text, id) => {
      if (id >= SPECIALS.length && !this.idByText.has(text)) this.idByText.set(text, id);
    });
  }

  /** The id of one vocabulary entry (a special such as `"<eos>"`, a piece, or a character), or undefined. */
  idOf(token: string): number | undefined {
    const special = SPECIALS.indexOf(token as (typeof SPECIALS)[number]);
    return special >= 0 ? special : this.idByText.get(token);
  }

  encode(text: string): number[] {
    return this.encodeWithOffsets(text).ids;
  }

  encodeWithOffsets(text: string): { ids: number[]; offsets: Array<[number, number]> } {
    if (typeof text !== "string")
      throw new Error(`CharTokenizer.encode: text must be a string, got ${typeof text}`);
    const ids: number[] = [];
    const offsets: Array<[number, number]> = [];
    let i = 0;
    while (i < text.length) {
      const piece = this.pieces.find((p) => text.startsWith(p, i));
      if (piece !== undefined) {
        ids.push(this.idByText.get(piece) as number);
        offsets.push([i, i + piece.length]);
        i += piece.length;
        continue;
      }
      const codePoint = text.codePointAt(i) as number;
      const width = codePoint > 0xffff ? 2 : 1;
      ids.push(this.idByText.get(text.slice(i, i + width)) ?? this.unkId);
      offsets.push([i, i + width]);
      i += width;
    }
    return { ids, offsets };
  }

  decode(ids: readonly number[]): string {
    let text = "";
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new Error(`CharTokenizer.decode: id ${id} is outside the vocabulary [0, ${this.vocabSize})`);
      }
      if (id !== this.padId) text += this.vocab[id];
    }
    return text;
  }

  toJSON(): CharTokenizerJSON {
    return { type: "char", pieces: this.vocab.slice(SPECIALS.length, this.vocabSize - CHAR_COUNT) };
  }

  /**
   * Rebuilds a tokenizer from `toJSON()` output.
   *
   * @example
   * const copy = CharTokenizer.fromJSON(new CharTokenizer().toJSON());
   */
  static fromJSON(json: unknown): CharTokenizer {
    const value = json as Partial<CharTokenizerJSON> | null;
    if (
      value === null ||
      typeof value !== "object" ||
      value.type !== "char" ||
      !Array.isArray(value.pieces)
    ) {
      throw new Error(
        `CharTokenizer.fromJSON: expected { type: "char", pieces: string[] }, got ${JSON.stringify(json)}`,
      );
    }
    return new CharTokenizer(value.pieces);
  }
}
