import { COLOUR_NAMES } from "./palette";

/** Multi-character pieces a tokenizer may want as single tokens. */
export const SYNTH_SPECIAL_PIECES: readonly string[] = ["<image>", "<think>", "</think>", "\\boxed{"];

const SYMBOLS = "0123456789+-*=<>?:,{}\\ \n";

function alphabetOf(words: readonly string[]): string {
  return [...new Set([...[...words, ...SYNTH_SPECIAL_PIECES].join(""), ...SYMBOLS])]
    .sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0))
    .join("");
}

/**
 * Every character that can appear in a version 1 prompt or reference response, sorted by code point, as one
 * string. A character-level tokenizer should cover all of it.
 *
 * @example
 * for (const ch of SYNTH_ALPHABET) tokenizer.encode(ch);
 */
export const SYNTH_ALPHABET: string = alphabetOf(["top", "bottom", "row", "col", "taller", ...COLOUR_NAMES]);

/** The same for version 2 (no colour names; positions, drawn labels and comparison words). */
export const SYNTH_V2_ALPHABET: string = alphabetOf([
  "left",
  "mid",
  "right",
  "top",
  "bottom",
  "xrow",
  "xcol",
  "orow",
  "ocol",
  "taller",
  "more",
  "larger",
]);
