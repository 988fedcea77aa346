/**
 * For every `{` in `text`, the index of its matching `}`, or -1 when it is never closed.
 * Escaped braces (`\{`, `\}`) are not counted, so LaTeX set braces inside a group do not break it.
 * One pass with a stack, so it stays linear on adversarial input such as `{{{{...`.
 *
 * @example
 * const match = matchBraces("a{b{c}}");
 * match[1]; // 6
 * match[3]; // 5
 */
export function matchBraces(text: string): Int32Array {
  const match = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
    } else if (ch === "{") {
      open.push(i);
    } else if (ch === "}") {
      const start = open.pop();
      if (start !== undefined) match[start] = i;
    }
  }
  return match;
}
