import { describe, expect, it } from "vitest";
import { CharTokenizer } from "./tokenizer";

describe("CharTokenizer", () => {
  const tok = new CharTokenizer();

  it("has specials, the four pieces, newline and printable ASCII", () => {
    expect(tok.vocabSize).toBe(4 + 4 + 1 + 95);
    expect([tok.padId, tok.bosId, tok.eosId, tok.unkId]).toEqual([0, 1, 2, 3]);
    expect(tok.vocab.slice(0, 8)).toEqual([
      "<pad>",
      "<bos>",
      "<eos>",
      "<unk>",
      "<think>",
      "</think>",
      "\\boxed{",
      "<image>",
    ]);
    expect(tok.idOf("a")).toBe(8 + 1 + ("a".charCodeAt(0) - 32));
    expect(tok.idOf("\n")).toBe(8);
    expect(tok.idOf("<eos>")).toBe(2);
  });

  it("matches pieces greedily and round-trips text", () => {
    const text = "<think>red=4 blue=7 4+7=11</think>\\boxed{11}";
    const ids = tok.encode(text);
    expect(ids[0]).toBe(tok.idOf("<think>"));
    expect(ids.filter((id) => id === tok.idOf("</think>"))).toHaveLength(1);
    expect(ids).toHaveLength(1 + "red=4 blue=7 4+7=11".length + 1 + 1 + 3);
    expect(tok.decode(ids)).toBe(text);
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
    expect(tok.decode(tok.encode(`${printable}\n<image>`))).toBe(`${printable}\n<image>`);
  });

  it("reports the character span of every token", () => {
    const { ids, offsets } = tok.encodeWithOffsets("a<think>b\\boxed{");
    expect(ids).toHaveLength(4);
    expect(offsets).toEqual([
      [0, 1],
      [1, 8],
      [8, 9],
      [9, 16],
    ]);
  });

  it("encodes unknown characters as <unk> covering the whole code point", () => {
    const { ids, offsets } = tok.encodeWithOffsets("a\t😀b");
    expect(ids).toEqual([tok.idOf("a"), tok.unkId, tok.unkId, tok.idOf("b")]);
    expect(offsets).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
      [4, 5],
    ]);
  });

  it("never matches special tokens in text, drops padding and writes specials out on decode", () => {
    expect(tok.encode("<eos>")).toHaveLength(5);
    expect(tok.decode([tok.padId, tok.bosId, tok.idOf("x") as number, tok.eosId, tok.padId])).toBe(
      "<bos>x<eos>",
    );
    expect(tok.encode("")).toEqual([]);
  });

  it("serialises and rebuilds, custom pieces included", () => {
    const custom = new CharTokenizer(["<a>", "<abc>"]);
    const copy = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(custom.toJSON())));
    expect(copy.vocab).toEqual(custom.vocab);
    expect(copy.encode("<abc><a>")).toEqual([5, 4]);
    expect(CharTokenizer.fromJSON(tok.toJSON()).vocab).toEqual(tok.vocab);
  });

  it("rejects bad input with a clear message", () => {
    expect(() => tok.decode([tok.vocabSize])).toThrow(/outside the vocabulary/);
    expect(() => tok.decode([1.5])).toThrow(/outside the vocabulary/);
    expect(() => CharTokenizer.fromJSON({ type: "bpe" })).toThrow(/expected \{ type: "char"/);
    expect(() => new CharTokenizer(["x"])).toThrow(/at least 2 characters/);
    expect(() => tok.encode(3 as unknown as string)).toThrow(/must be a string/);
  });
});
