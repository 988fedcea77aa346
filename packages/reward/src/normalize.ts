import { matchBraces } from "./brace-match";

/** Answers longer than this are only trimmed: no real final answer is this long, and it bounds the work. */
export const MAX_NORMALIZE_LENGTH = 20_000;

const UNWRAPPED_COMMANDS =
  /\\(?:text|textbf|textit|textrm|textnormal|textsf|texttt|mathrm|mathbf|mathit|mathsf|mathtt|mbox|operatorname|boldsymbol|bm)\s*(?=\{)/y;
const UNITS = [
  "units?",
  "sq\\.?units?",
  "squareunits?",
  "cm",
  "mm",
  "km",
  "m",
  "meters?",
  "metres?",
  "centimeters?",
  "centimetres?",
  "millimeters?",
  "kilometers?",
  "inch(?:es)?",
  "feet",
  "foot",
  "ft",
  "yards?",
  "miles?",
  "degrees?",
  "deg",
  "radians?",
  "rad",
  "seconds?",
  "minutes?",
  "hours?",
  "days?",
  "dollars?",
  "cents?",
  "kg",
  "grams?",
  "liters?",
  "litres?",
  "ml",
  "mph",
  "percent(?:age)?",
  "pct",
];
const TRAILING_UNIT = new RegExp(
  `(?<=[0-9})]|\\\\pi) ?(?:square|sq\\.?|cubic)?(?:${UNITS.join("|")})(?:\\^\\{?[23]\\}?|²|³)?$`,
);
const EQUATION_LHS = /^(?:[a-z](?:_\{?[a-z0-9]+\}?|_[a-z0-9])?|\\[a-z]+)(?:=|\\in)(?!.*=)/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
/** Groups of three after a first group that is not 0 (`0,111` is not 111). */
const THOUSANDS = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;
/** Digits joined by commas, `{,}` or `,\!` (a comma typeset without the space of a list comma). */
const TIGHT_COMMA_RUN = /(?<![\d.])\d+(?:(?:\{,\}|,\\!\s*|,)\d+)+(?:\.\d+)?/g;
const TIGHT_GROUPED = /^[1-9]\d{0,2}(?:(?:\{,\}|,\\!\s*|,)\d{3})+(?:\.\d+)?$/;
/** Digits, points and slashes in chunks separated by spaces: `1 000 4/9`, `2 3`, `12`. */
const NUMBER_RUN = /[\d./]+(?: +[\d./]+)*/g;
/** A whole number in groups of three (`1 000`, `1\,000` once spacing commands are spaces), maybe then `b/c`. */
const SPACE_GROUPED = /^([1-9]\d{0,2}(?: +\d{3})+(?:\.\d+)?)((?: +(?!\d{3}\/)[1-9]\d*\/\d+)?)$/;
/** A comma with whitespace on either side between two digits: `12, 345` is a list, never 12345. */
const LOOSE_COMMA = /\d(?:\s+,\s*|,\s+)\d/;
const CHOICE = /^\(?([a-z])\)?[.:]?$/;
const SIMPLE_FRACTION = /^([+-]?)(?:\\frac\{([+-]?\d+)\}\{([+-]?\d+)\}|(\d+)\/(\d+))$/;
/**
 * `3\frac{1}{2}` or `3 1/2`. In `a b/c`, b starts with 1-9 and is not three digits: `4 444/9` could be 4444/9
 * and `1 000/9` 1000/9, so both are refused rather than guessed.
 */
const MIXED_NUMBER = /^([+-]?)(\d+)(?:\\frac\{(\d+)\}\{(\d+)\}| (?!\d{3}\/)([1-9]\d*)\/(\d+))$/;
/** Integer fraction in canonical form, the output of {@link normalizeAnswer} for every fraction spelling. */
export const CANONICAL_FRACTION = /^-?\d+\/\d+$/;

/**
 * Rewrites an answer into a canonical string so that spellings of the same answer compare equal as text.
 *
 * In order: drops `$`, `\$`, `\[ \]` or `\( \)` around the whole answer, `\left`, `\right`, `\displaystyle`,
 * spacing (`\! \, \; \: \quad ~` become spaces); unwraps `\text{...}`, `\mathrm{...}`, `\textbf{...}` and
 * friends; reads `\dfrac`/`\tfrac`/`\cfrac` as `\frac` and braces every `\frac`/`\sqrt` argument
 * (`\frac12` -> `\frac{1}{2}`); drops degree marks (`^\circ`, `°`) and percent signs (never rescaling:
 * `50%` -> `50`); joins digits across spaces only in a whole number in groups of three (`1 000`, `1\,000`;
 * `2 3` keeps its space); drops other whitespace and trailing full stops and commas; lowercases; turns
 * `x = 5` into `5` and `x \in [1,2]` into `[1,2]`; drops one trailing unit (`cm`, `m^2`, `units`,
 * `degrees`, `inches`, `percent`...) after a number; removes thousands separators when the whole answer is
 * one number in tight groups of three after a first group that is not 0 (`1,000`, `1{,}000`, `1,\!000` ->
 * `1000`; `32, 349` and `0,111` stay lists); reduces a choice (`(A)`, `A.`, `A)`) to its letter; writes
 * every integer fraction and mixed number as `a/b` (`\frac{1}{2}`, `\frac12`, `1/2` -> `1/2`;
 * `3\frac{1}{2}`, `3 1/2` -> `7/2`), without reducing it.
 *
 * @example
 * normalizeAnswer("\\text{(A)}"); // "a"
 * normalizeAnswer("x = \\dfrac12"); // "1/2"
 * normalizeAnswer("1,000 \\text{ cm}"); // "1000"
 * normalizeAnswer("-4 4/9"); // "-40/9"
 */
export function normalizeAnswer(answer: string): string {
  if (typeof answer !== "string") {
    throw new TypeError(`normalizeAnswer: answer must be a string, got ${typeof answer}`);
  }
  let s = answer.trim();
  if (s.length > MAX_NORMALIZE_LENGTH || PLAIN_NUMBER.test(s)) return s;
  s = withoutDisplayDelimiters(s.replace(/\\\$|\$/g, ""))
    .replace(TIGHT_COMMA_RUN, joinTightCommas)
    .replace(/\\(?:left|right)(?![a-zA-Z])\.?/g, "")
    .replace(/\\(?:displaystyle|textstyle|q?quad)(?![a-zA-Z])|\\[,!;: ]|~/g, " ");
  s = unwrapCommands(s);
  s = s
    .replace(/\\[dtc]frac(?![a-zA-Z])/g, "\\frac")
    .replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|°|\\degree(?![a-zA-Z])/g, "")
    .replace(/\\?%/g, "");
  s = braceArguments(s).replace(NUMBER_RUN, joinDigitGroups);
  const looseCommas = LOOSE_COMMA.test(s);
  s = withoutTrailingPunctuation(s.replace(/\s+/g, keptSpace)).toLowerCase();
  s = s.replace(EQUATION_LHS, "");
  s = s.replace(TRAILING_UNIT, "");
  if (THOUSANDS.test(s)) {
    // `32, 349` is the list (32, 349): its spaces stay, so that normalising it again gives it back.
    return looseCommas ? s.replace(/,/g, ", ") : s.replace(/,/g, "");
  }
  const choice = CHOICE.exec(s);
  if (choice) return choice[1] as string;
  return canonicalFraction(s) ?? s;
}

/**
 * `1{,}000` -> `1000`, also inside a tuple; other runs get plain commas (`0{,}5` -> `0,5`, a list). Runs of
 * plain commas only are left to the whole-answer thousands rule.
 */
function joinTightCommas(run: string): string {
  if (!run.includes("{,}") && !run.includes(",\\!")) return run;
  return run.replace(/\{,\}|,\\!\s*|,/g, TIGHT_GROUPED.test(run) ? "" : ",");
}

/** `1 000` -> `1000` and `1 000 4/9` -> `1000 4/9`; any other run (`2 3`, `0 111`, `1 0000`) as it is. */
function joinDigitGroups(run: string): string {
  const grouped = SPACE_GROUPED.exec(run);
  if (!grouped) return run;
  return (grouped[1] as string).replace(/ +/g, "") + (grouped[2] as string).replace(/ +/, " ");
}

/** `\[ 9 \]` and `\( 9 \)` around the whole answer are display delimiters, like `$`. */
function withoutDisplayDelimiters(s: string): string {
  const t = s.trim();
  if ((t.startsWith("\\[") && t.endsWith("\\]")) || (t.startsWith("\\(") && t.endsWith("\\)"))) {
    return t.slice(2, -2);
  }
  return s;
}

/** Trailing full stops and commas (`5.`, `5,`). A loop: `/[.,]+$/` is quadratic on a long inner run. */
function withoutTrailingPunctuation(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === "." || s[end - 1] === ",")) end--;
  return s.slice(0, end);
}

/**
 * Whitespace is dropped, except one space that keeps a command apart from a following letter (`\cdot x`),
 * and one between two digits that were not joined as groups of three, so that `2 3` never becomes `23`.
 */
function keptSpace(space: string, offset: number, whole: string): string {
  const before = whole[offset - 1] ?? "";
  const next = whole[offset + space.length] ?? "";
  if (splitsNumber(whole[offset - 2] ?? "", before, next, whole[offset + space.length + 1] ?? "")) return " ";
  if (!/[a-zA-Z]/.test(next)) return "";
  return /\\[a-zA-Z]+$/.test(whole.slice(Math.max(0, offset - 40), offset)) ? " " : "";
}

/** Whether a space between `before` and `next` separates digits: `2 3`, `2 .5`, `2. 5`. */
function splitsNumber(beforeBefore: string, before: string, next: string, nextNext: string): boolean {
  const digit = (c: string) => c >= "0" && c <= "9";
  const left = digit(before) || (before === "." && digit(beforeBefore));
  const right = digit(next) || (next === "." && digit(nextNext));
  return left && right && !(before === "." && next === ".");
}

/** `a/b` for an integer fraction or mixed number in any spelling (sign in front, not reduced), else null. */
function canonicalFraction(s: string): string | null {
  const fraction = SIMPLE_FRACTION.exec(s);
  const mixed = fraction ? null : MIXED_NUMBER.exec(s);
  if (!fraction && !mixed) return null;
  if (s.length > 60) return null;
  let negative: boolean;
  let numerator: bigint;
  let denominator: bigint;
  if (fraction) {
    const top = fraction[2] ?? fraction[4] ?? "0";
    const bottom = fraction[3] ?? fraction[5] ?? "0";
    negative = [fraction[1], top[0], bottom[0]].filter((c) => c === "-").length % 2 === 1;
    numerator = abs(BigInt(top));
    denominator = abs(BigInt(bottom));
  } else {
    const [, sign, whole, fracTop, fracBottom, slashTop, slashBottom] = mixed as RegExpExecArray;
    negative = sign === "-";
    denominator = BigInt((fracBottom ?? slashBottom) as string);
    numerator = BigInt(whole as string) * denominator + BigInt((fracTop ?? slashTop) as string);
  }
  if (denominator === 0n) return null;
  return `${negative && numerator !== 0n ? "-" : ""}${numerator}/${denominator}`;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Replaces `\text{abc}` (and the other wrappers) by `abc`, nested ones too, in one linear pass. */
function unwrapCommands(s: string): string {
  if (!s.includes("\\")) return s;
  const match = matchBraces(s);
  const drop = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\") continue;
    UNWRAPPED_COMMANDS.lastIndex = i;
    const found = UNWRAPPED_COMMANDS.exec(s);
    if (!found) {
      i++;
      continue;
    }
    const open = i + found[0].length;
    const close = match[open] as number;
    if (close < 0) continue;
    drop.fill(1, i, open + 1);
    drop[close] = 1;
    i = open;
  }
  let out = "";
  for (let i = 0; i < s.length; i++) if (drop[i] === 0) out += s[i];
  return out;
}

/**
 * Gives `\frac` and `\sqrt` braced arguments: `\frac12` -> `\frac{1}{2}`, `\frac{1}2` -> `\frac{1}{2}`,
 * `\sqrt2` -> `\sqrt{2}`, `\frac\pi2` -> `\frac{\pi}{2}`. A bare argument is one character or one command.
 */
function braceArguments(s: string): string {
  if (!s.includes("\\frac") && !s.includes("\\sqrt")) return s;
  return braceArgumentsIn(s, 0, s.length, matchBraces(s), 0);
}

const MAX_BRACE_DEPTH = 50;
const COMMAND = /\\(?:[a-zA-Z]+|.)?/y;

function braceArgumentsIn(s: string, from: number, to: number, match: Int32Array, depth: number): string {
  if (depth > MAX_BRACE_DEPTH) return s.slice(from, to);
  let out = "";
  let i = from;
  const group = (open: number): string => {
    const close = match[open] as number;
    const inner = braceArgumentsIn(s, open + 1, close, match, depth + 1);
    i = close + 1;
    return `{${inner}}`;
  };
  while (i < to) {
    const ch = s[i] as string;
    if (ch === "{" && (match[i] as number) >= 0 && (match[i] as number) < to) {
      out += group(i);
      continue;
    }
    if (ch !== "\\") {
      out += ch;
      i++;
      continue;
    }
    COMMAND.lastIndex = i;
    const command = (COMMAND.exec(s) as RegExpExecArray)[0];
    out += command;
    i += command.length;
    if (command !== "\\frac" && command !== "\\sqrt") continue;
    if (command === "\\sqrt" && s[i] === "[") continue;
    for (let k = command === "\\frac" ? 2 : 1; k > 0; k--) {
      let j = i;
      while (j < to && /\s/.test(s[j] as string)) j++;
      const next = s[j];
      if (j >= to || next === undefined || next === "}") break;
      if (next === "{") {
        if ((match[j] as number) < 0 || (match[j] as number) >= to) break;
        out += group(j);
        continue;
      }
      let argument = next;
      if (next === "\\") {
        COMMAND.lastIndex = j;
        argument = (COMMAND.exec(s) as RegExpExecArray)[0];
        // `\frac\frac...` is not a well-formed answer: leave it as written.
        if (argument === "\\frac" || argument === "\\sqrt") break;
      }
      out += `{${argument}}`;
      i = j + argument.length;
    }
  }
  return out;
}
