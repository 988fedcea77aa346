import { COLOUR_NAMES } from "./palette";

/** Multi-character pieces a tokenizer may want as single tokens. */
export const SYNTH_SPECIAL_PIECES: readonly string[] = ["<image>", "<think>", "</think>", "\\boxed{"];

const GRAMMAR_WORDS = ["top", "bottom", "row", "col", "taller", ...COLOUR_NAMES, ...SYNTH_SPECIAL_PIECES];
const SYMBOLS = "0123456789+-*=<>?:,{}\\ \n";

/**
 * Every character that can appear in a prompt or reference response, sorted by code point, as one string.
 * A character-level tokenizer should cover all of it.
 *
 * @example
 * for (const ch of SYNTH_ALPHABET) tokenizer.encode(ch);
 */
export const SYNTH_ALPHABET: string = [...new Set([...GRAMMAR_WORDS.join(""), ...SYMBOLS])]
  .sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0))
  .join("");
