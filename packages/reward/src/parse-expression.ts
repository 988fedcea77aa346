/** Longest text the evaluator will look at; longer input is not a number we want to grade. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest nesting (parentheses, braces, fractions, roots, powers) the evaluator follows. */
export const MAX_EXPRESSION_DEPTH = 200;

class NotArithmetic extends Error {}

const SPACING = new Set([",", "!", ";", ":", " "]);
const IGNORED_COMMANDS = new Set(["left", "right", "displaystyle", "textstyle", "quad", "qquad"]);
const FRAC_COMMANDS = new Set(["frac", "dfrac", "tfrac", "cfrac"]);
const MIXED_NUMBER_FRACTION = /\\[dtc]?frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))/y;
/** `4 4/9` after an integer; as in normalizeAnswer, `4 444/9` and `1 000/9` (maybe thousands) are not. */
const MIXED_NUMBER_SLASH = /[ \t]+(?!\d{3}\/)([1-9]\d*)\/(\d+)(?![\d./^])/y;
const CLOSER: Record<string, string> = { "(": ")", "{": "}", "[": "]" };

/**
 * Evaluates an arithmetic expression written in plain text or LaTeX, returning a finite number or null.
 *
 * Understands decimal numbers, `+ - * /`, `^` (right-associative; `2^10` is 1024, plain-text style),
 * `( ) [ ] { }` as grouping, `\frac` / `\dfrac` / `\tfrac` (also `\frac12`), `\sqrt`, `\sqrt[n]`, `\pi`,
 * `\cdot`, `\times`, `\div`, the Unicode `× · ÷ − π √`, implicit multiplication (`2\sqrt{3}`, `2(1+1)`) and
 * mixed numbers (`3\frac{1}{2}` and `3 1/2` are 3.5; other juxtaposed numbers such as `2 3` are refused).
 * Spacing commands, `\left` and `\right` are ignored. One-letter
 * variables take their value from `variables` (`2x` is 2 * x). Anything else (unknown variables, words,
 * unknown commands), input longer than {@link MAX_EXPRESSION_LENGTH}, nesting deeper than
 * {@link MAX_EXPRESSION_DEPTH}, and results that are not finite (`9^9^9^9`, `1/0`, `\sqrt{-1}`) give null.
 * No `eval`: a hand-written recursive-descent parser.
 *
 * @example
 * evaluateExpression("2\\sqrt{3}"); // 3.4641016151377544
 * evaluateExpression("\\frac{1}{2} + 0.25"); // 0.75
 * evaluateExpression("x^2 + 1", { x: 3 }); // 10
 * evaluateExpression("x + 1"); // null
 */
export function evaluateExpression(
  text: string,
  variables: Readonly<Record<string, number>> = {},
): number | null {
  if (typeof text !== "string") {
    throw new TypeError(`evaluateExpression: text must be a string, got ${typeof text}`);
  }
  if (variables === null || typeof variables !== "object") {
    throw new TypeError(`evaluateExpression: variables must be an object of numbers, got ${variables}`);
  }
  if (text.length > MAX_EXPRESSION_LENGTH) return null;
  try {
    const parser = new Parser(text, variables);
    const value = parser.parseAll();
    return Number.isFinite(value) ? value : null;
  } catch (error) {
    if (error instanceof NotArithmetic) return null;
    throw error;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly variables: Readonly<Record<string, number>>,
  ) {}

  parseAll(): number {
    const value = this.parseSum();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail();
    return value;
  }

  private fail(): never {
    throw new NotArithmetic();
  }

  private enter(): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) this.fail();
  }

  private leave(): void {
    this.depth--;
  }

  /** Skips whitespace, spacing commands and the commands that only change typesetting. */
  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const ch = text[this.pos];
      if (ch === undefined) return;
      if (/\s/.test(ch)) {
        this.pos++;
      } else if (ch === "\\" && SPACING.has(text[this.pos + 1] ?? "")) {
        this.pos += 2;
      } else if (ch === "\\") {
        const name = this.peekCommand();
        if (name === null || !IGNORED_COMMANDS.has(name)) return;
        this.pos += 1 + name.length;
      } else {
        return;
      }
    }
  }

  private peekCommand(): string | null {
    const found = /\\([a-zA-Z]+)/y;
    found.lastIndex = this.pos;
    return found.exec(this.text)?.[1] ?? null;
  }

  /** The operator at the cursor, normalised to one of `+ - * / ^`, or null. Does not consume it. */
  private peekOperator(): { op: string; length: number } | null {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === "+" || ch === "-" || ch === "*" || ch === "/" || ch === "^") return { op: ch, length: 1 };
    if (ch === "−") return { op: "-", length: 1 };
    if (ch === "×" || ch === "·") return { op: "*", length: 1 };
    if (ch === "÷") return { op: "/", length: 1 };
    if (ch === "\\") {
      const name = this.peekCommand();
      if (name === "cdot" || name === "times") return { op: "*", length: 1 + name.length };
      if (name === "div") return { op: "/", length: 4 };
    }
    return null;
  }

  private parseSum(): number {
    this.enter();
    let value = this.parseProduct();
    for (;;) {
      const next = this.peekOperator();
      if (next === null || (next.op !== "+" && next.op !== "-")) break;
      this.pos += next.length;
      const rhs = this.parseProduct();
      value = next.op === "+" ? value + rhs : value - rhs;
    }
    this.leave();
    return value;
  }

  private parseProduct(): number {
    let value = this.parseUnary();
    for (;;) {
      const next = this.peekOperator();
      if (next !== null && (next.op === "*" || next.op === "/")) {
        this.pos += next.length;
        const rhs = this.parseUnary();
        value = next.op === "*" ? value * rhs : value / rhs;
      } else if (next === null && this.startsPrimary()) {
        // `2 3` or `1\,000` is not a product: two juxtaposed numbers are ambiguous.
        if (/[0-9.]/.test(this.text[this.pos] as string)) this.fail();
        value *= this.parsePower();
      } else {
        break;
      }
    }
    return value;
  }

  private startsPrimary(): boolean {
    const ch = this.text[this.pos];
    if (ch === undefined) return false;
    if (/[0-9.({[π√a-zA-Z]/.test(ch)) return true;
    if (ch !== "\\") return false;
    const name = this.peekCommand();
    return name !== null && (FRAC_COMMANDS.has(name) || name === "sqrt" || name === "pi");
  }

  private parseUnary(): number {
    this.enter();
    const next = this.peekOperator();
    let value: number;
    if (next !== null && (next.op === "-" || next.op === "+")) {
      this.pos += next.length;
      const operand = this.parseUnary();
      value = next.op === "-" ? -operand : operand;
    } else {
      value = this.parsePower();
    }
    this.leave();
    return value;
  }

  private parsePower(): number {
    const base = this.parsePrimary();
    const next = this.peekOperator();
    if (next === null || next.op !== "^") return base;
    this.pos += next.length;
    return base ** this.parseUnary();
  }

  private parsePrimary(): number {
    this.enter();
    this.skipSpace();
    const text = this.text;
    const ch = text[this.pos];
    let value: number;
    if (ch === undefined) {
      this.fail();
    } else if (/[0-9.]/.test(ch)) {
      value = this.parseNumber();
    } else if (ch === "(" || ch === "[" || ch === "{") {
      value = this.parseGroup(ch);
    } else if (ch === "π") {
      this.pos++;
      value = Math.PI;
    } else if (ch === "√") {
      this.pos++;
      value = root(this.parseArgument(), 2);
    } else if (ch === "\\") {
      value = this.parseCommand();
    } else {
      value = this.parseVariable();
    }
    this.leave();
    return value;
  }

  /**
   * A one-letter variable with a value in `variables`. A run of letters (`ab`, `no`) is text, not a product,
   * except as a bare macro argument, where LaTeX reads one character (`\frac xy`).
   */
  private parseVariable(singleCharacterArgument = false): number {
    const ch = this.text[this.pos] as string;
    if (!/[a-zA-Z]/.test(ch)) this.fail();
    if (!singleCharacterArgument && /[a-zA-Z]/.test(this.text[this.pos + 1] ?? "")) this.fail();
    const value = Object.hasOwn(this.variables, ch) ? this.variables[ch] : undefined;
    if (value === undefined) this.fail();
    this.pos++;
    return value;
  }

  private parseGroup(open: string): number {
    this.pos++;
    const value = this.parseSum();
    this.skipSpace();
    if (this.text[this.pos] !== CLOSER[open]) this.fail();
    this.pos++;
    return value;
  }

  private parseNumber(): number {
    const found = /\d*\.?\d*/y;
    found.lastIndex = this.pos;
    const literal = found.exec(this.text)?.[0] ?? "";
    if (literal === "" || literal === ".") this.fail();
    this.pos += literal.length;
    const value = Number(literal);
    if (/^\d+$/.test(literal)) {
      // `3\frac{1}{2}` and `3 1/2` are the mixed number 3.5, not 3 * 0.5 or 31/2.
      for (const pattern of [MIXED_NUMBER_FRACTION, MIXED_NUMBER_SLASH]) {
        pattern.lastIndex = this.pos;
        const mixed = pattern.exec(this.text);
        if (!mixed) continue;
        this.pos = pattern.lastIndex;
        const [top, bottom] = mixed.slice(1).filter((part) => part !== undefined);
        return value + Number(top) / Number(bottom);
      }
    }
    return value;
  }

  private parseCommand(): number {
    const name = this.peekCommand();
    if (name === null) this.fail();
    this.pos += 1 + name.length;
    if (name === "pi") return Math.PI;
    if (FRAC_COMMANDS.has(name)) {
      const numerator = this.parseArgument();
      const denominator = this.parseArgument();
      return numerator / denominator;
    }
    if (name === "sqrt") {
      this.skipSpace();
      let degree = 2;
      if (this.text[this.pos] === "[") degree = this.parseGroup("[");
      return root(this.parseArgument(), degree);
    }
    this.fail();
  }

  /** A LaTeX macro argument: a braced group, a single digit (`\frac12`), or a command (`\frac\pi2`). */
  private parseArgument(): number {
    this.enter();
    this.skipSpace();
    const ch = this.text[this.pos];
    let value: number;
    if (ch === "{") {
      value = this.parseGroup("{");
    } else if (ch !== undefined && /[0-9]/.test(ch)) {
      this.pos++;
      value = Number(ch);
    } else if (ch === "\\" || ch === "π") {
      value = this.parsePrimary();
    } else if (ch !== undefined && /[a-zA-Z]/.test(ch)) {
      value = this.parseVariable(true);
    } else {
      this.fail();
    }
    this.leave();
    return value;
  }
}

function root(radicand: number, degree: number): number {
  if (degree === 2) return Math.sqrt(radicand);
  if (radicand < 0 && Number.isInteger(degree) && Math.abs(degree) % 2 === 1) {
    return -((-radicand) ** (1 / degree));
  }
  return radicand ** (1 / degree);
}
