import { CANONICAL_FRACTION, normalizeAnswer } from "./normalize";
import { evaluateExpression } from "./parse-expression";

/** Options of {@link gradeAnswer}. */
export interface GradeOptions {
  /**
   * Two numbers are equal when `|a - b| <= relativeTolerance * max(|a|, |b|)`. Default 1e-6. Two integers
   * written as integers are compared exactly.
   */
  relativeTolerance?: number;
}

const ABSOLUTE_FLOOR = 1e-12;
/** Sets with more elements than this are compared in order, to keep the matching quadratic cost bounded. */
const MAX_UNORDERED_ITEMS = 50;
const CHOICE_WITH_TEXT = /^\(([a-z])\)./;
const INTEGER = /^[+-]?\d+$/;
/** Values of up to three variables at which two expressions are compared: mixed signs, not integers. */
const SAMPLE_POINTS = [
  [0.7311, -1.2913, 2.1742],
  [-0.4187, 1.6529, -0.8863],
  [1.9054, 0.3378, 1.4421],
  [-2.2617, -0.6249, 0.5186],
  [2.8135, 2.4092, -1.7358],
  [0.2264, -1.9441, 3.0517],
] as const;
const MIN_AGREEING_POINTS = 3;

/**
 * Whether `given` is the same mathematical answer as `truth` (both plain answers, not whole responses).
 *
 * Both sides go through {@link normalizeAnswer}; equal strings are equal. Tuples, intervals and bare lists
 * are compared element by element in order, brackets included (`(1,2)` != `(2,1)`, `[1,2)` != `[1,2]`);
 * sets `\{...\}` in any order. Otherwise two integer fractions must be written identically, unreduced
 * (`2/4` != `\frac{1}{2}`, `\frac{2}{4}` != `\frac12`), two integers must be the same integer
 * (`1000001` != `1000000` at any tolerance), and anything else is compared by value with the arithmetic
 * evaluator (`0.5` = `\frac{1}{2}`, `2\sqrt{3}` = `\sqrt{12}`); expressions in the same one-letter variables
 * are compared at six fixed points (`2x+1` = `1+2x`, `\sqrt{x^2}` != `x`). Percent signs are dropped without
 * rescaling, so `50%` = `50` and `50%` != `0.5`. Separators never join two numbers into one: `32, 349` and
 * `0,111` are lists and `2 3` is refused. A response such as `(B) 12` matches a truth `B`.
 *
 * @example
 * gradeAnswer("\\dfrac{1}{2}", "0.5"); // true
 * gradeAnswer("2\\sqrt{3}", "\\sqrt{12}"); // true
 * gradeAnswer("(2,1)", "(1,2)"); // false
 */
export function gradeAnswer(given: string, truth: string, options: GradeOptions = {}): boolean {
  if (typeof given !== "string") {
    throw new TypeError(`gradeAnswer: given must be a string, got ${typeof given}`);
  }
  if (typeof truth !== "string") {
    throw new TypeError(`gradeAnswer: truth must be a string, got ${typeof truth}`);
  }
  const { relativeTolerance = 1e-6 } = options;
  if (!(relativeTolerance >= 0 && relativeTolerance < 1)) {
    throw new RangeError(`gradeAnswer: relativeTolerance must be in [0, 1), got ${relativeTolerance}`);
  }
  const g = normalizeAnswer(given);
  const t = normalizeAnswer(truth);
  if (g === "" || t === "") return false;
  if (g === t) return true;
  const gParts = splitTopLevel(g);
  const tParts = splitTopLevel(t);
  if (gParts.items.length > 1 || tParts.items.length > 1) {
    if (gParts.open !== tParts.open || gParts.close !== tParts.close) return false;
    if (gParts.items.length !== tParts.items.length) return false;
    const same = (a: string, b: string) =>
      elementsEqual(normalizeAnswer(a), normalizeAnswer(b), relativeTolerance);
    if (gParts.open === "\\{" && gParts.items.length <= MAX_UNORDERED_ITEMS) {
      return sameMultiset(gParts.items, tParts.items, same);
    }
    return gParts.items.every((item, k) => item === tParts.items[k] || same(item, tParts.items[k] as string));
  }
  if (/^[a-z]$/.test(t)) {
    const choice = CHOICE_WITH_TEXT.exec(g);
    if (choice) return choice[1] === t;
  }
  return elementsEqual(g, t, relativeTolerance);
}

function elementsEqual(a: string, b: string, relativeTolerance: number): boolean {
  if (a === b) return a !== "";
  // Two integers are exact: 1000001 is not 1000000, whatever the tolerance, nor two 17-digit neighbours.
  if (INTEGER.test(a) && INTEGER.test(b)) return BigInt(a) === BigInt(b);
  // Reduced-form requirement: two integer fractions are equal only as written.
  if (CANONICAL_FRACTION.test(a) && CANONICAL_FRACTION.test(b)) return false;
  const variables = freeVariables(a);
  if (variables === null || variables.length > SAMPLE_POINTS[0].length) return false;
  if (variables.join() !== freeVariables(b)?.join()) return false;
  const close = (x: number, y: number) => {
    const gap = Math.abs(x - y);
    return gap <= relativeTolerance * Math.max(Math.abs(x), Math.abs(y)) || gap <= ABSOLUTE_FLOOR;
  };
  if (variables.length === 0) {
    const x = evaluateExpression(a);
    const y = x === null ? null : evaluateExpression(b);
    return x !== null && y !== null && close(x, y);
  }
  // Expressions in variables are compared at fixed points; points where either side is undefined are skipped.
  let agreeing = 0;
  for (const point of SAMPLE_POINTS) {
    const values = Object.fromEntries(variables.map((name, j) => [name, point[j] as number]));
    const x = evaluateExpression(a, values);
    const y = x === null ? null : evaluateExpression(b, values);
    if (x === null || y === null) continue;
    if (!close(x, y)) return false;
    agreeing++;
  }
  return agreeing >= MIN_AGREEING_POINTS;
}

/** The one-letter variables of a normalised answer, sorted; null for a word (two letters in a row). */
function freeVariables(s: string): string[] | null {
  const withoutCommands = s.replace(/\\[a-zA-Z]+/g, " ");
  if (/[a-zA-Z]{2}/.test(withoutCommands)) return null;
  return [...new Set(withoutCommands.match(/[a-zA-Z]/g) ?? [])].sort();
}

function sameMultiset(a: string[], b: string[], same: (x: string, y: string) => boolean): boolean {
  const used = new Uint8Array(b.length);
  return a.every((item) => {
    const k = b.findIndex((other, j) => used[j] === 0 && same(item, other));
    if (k < 0) return false;
    used[k] = 1;
    return true;
  });
}

interface Parts {
  open: string;
  close: string;
  items: string[];
}

/** Splits `(a,b)`, `[a,b)`, `\{a,b\}` or a bare `a,b` into its brackets and its top-level items. */
function splitTopLevel(s: string): Parts {
  let open = "";
  let close = "";
  let inner = s;
  if (s.startsWith("\\{") && s.endsWith("\\}") && enclosesAll(s, 1)) {
    open = "\\{";
    close = "\\}";
    inner = s.slice(2, -2);
  } else if (/^[([]/.test(s) && /[)\]]$/.test(s) && enclosesAll(s, 0)) {
    open = s[0] as string;
    close = s[s.length - 1] as string;
    inner = s.slice(1, -1);
  }
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      items.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  items.push(inner.slice(start));
  return { open, close, items };
}

/** Whether the bracket at `first` closes only at the very end of `s` (so `(1)+(2)` is not one group). */
function enclosesAll(s: string, first: number): boolean {
  let depth = 0;
  for (let i = first; i < s.length; i++) {
    const ch = s[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    if (depth === 0) return i === s.length - 1;
  }
  return false;
}
