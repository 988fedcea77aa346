import { matchBraces } from "./brace-match";

const BOX_COMMAND = /\\(?:boxed|fbox)(?![a-zA-Z])/g;
const BARE_TOKEN = /[^\s$]+/y;

/**
 * The content of the last `\boxed{...}` (or `\fbox{...}`) whose braces balance, or null when there is none.
 *
 * "Last" is by start position, so in `\boxed{a \boxed{b}}` the answer is `b`. Nested braces are kept. An
 * occurrence whose `{` is never closed is skipped and the previous one is tried. `\boxed 5` (the command, a
 * space, one token ending at whitespace or `$`) is accepted too, as LaTeX itself reads it.
 *
 * @example
 * extractBoxed("so <think>..</think> \\boxed{\\frac{1}{2}}"); // "\\frac{1}{2}"
 * extractBoxed("\\boxed{1} then \\boxed{2"); // "1"
 * extractBoxed("no box"); // null
 */
export function extractBoxed(text: string): string | null {
  if (typeof text !== "string") {
    throw new TypeError(`extractBoxed: text must be a string, got ${typeof text}`);
  }
  const starts: number[] = [];
  for (const found of text.matchAll(BOX_COMMAND)) starts.push(found.index + found[0].length);
  if (starts.length === 0) return null;
  const match = matchBraces(text);
  for (let k = starts.length - 1; k >= 0; k--) {
    const afterName = starts[k] as number;
    let i = afterName;
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text[i] === "{") {
      const close = match[i] as number;
      if (close >= 0) return text.slice(i + 1, close);
    } else if (i > afterName) {
      BARE_TOKEN.lastIndex = i;
      const token = BARE_TOKEN.exec(text);
      if (token) return token[0];
    }
  }
  return null;
}
