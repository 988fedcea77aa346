import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradeAnswer } from "./grade-answer";

// A number written with separators between some digits of its integer part, and what that spelling means,
// decided here from the digits and the separator positions alone (not by the grader):
// - no separator, or tight commas / spaces exactly every three digits from the right after a first group
//   that is not 0: the number;
// - commas anywhere else, or any comma with a space beside it: the list of the groups;
// - spaces anywhere else: no number at all, equal only to the same spelling.
const TIGHT_COMMAS = [",", "{,}", ",\\!", ",\\! "];
const LOOSE_COMMAS = [", ", " ,", " , ", ",\\,", ",\\;"];
const SPACES = [" ", "\\,", "\\!", "~", "\\ ", "\\;"];
type Kind = "tight" | "loose" | "space";
const SPELLINGS: Record<Kind, string[]> = { tight: TIGHT_COMMAS, loose: LOOSE_COMMAS, space: SPACES };

interface Written {
  negative: boolean;
  integer: string;
  fraction: string;
  kind: Kind;
  /** How many digits of `integer` come before each separator, increasing. */
  cuts: number[];
  text: string;
}

type Meaning =
  | { kind: "number"; value: string }
  | { kind: "list"; values: string[] }
  | { kind: "spelling"; key: string };

/** Canonical decimal text: no sign on zero, no leading zeros, no trailing fractional zeros. */
function decimal(negative: boolean, integer: string, fraction: string): string {
  const whole = integer.replace(/^0+(?=\d)/, "");
  const tail = fraction.replace(/0+$/, "");
  const body = tail === "" ? whole : `${whole}.${tail}`;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

function thousandsCuts(integer: string): number[] {
  const cuts: number[] = [];
  for (let k = integer.length - 3; k > 0; k -= 3) cuts.unshift(k);
  return cuts;
}

function meaning(w: Written): Meaning {
  const grouped =
    w.integer[0] !== "0" && w.cuts.length > 0 && w.cuts.join() === thousandsCuts(w.integer).join();
  if (w.cuts.length === 0 || (grouped && w.kind !== "loose")) {
    return { kind: "number", value: decimal(w.negative, w.integer, w.fraction) };
  }
  if (w.kind === "space") {
    return { kind: "spelling", key: JSON.stringify([w.negative, w.integer, w.fraction, w.cuts]) };
  }
  const bounds = [0, ...w.cuts, w.integer.length];
  const groups = bounds.slice(1).map((end, k) => w.integer.slice(bounds[k], end));
  return {
    kind: "list",
    values: groups.map((group, k) =>
      decimal(k === 0 && w.negative, group, k === groups.length - 1 ? w.fraction : ""),
    ),
  };
}

function sameMeaning(a: Meaning, b: Meaning): boolean {
  if (a.kind === "number" && b.kind === "number") return a.value === b.value;
  if (a.kind === "list" && b.kind === "list") return a.values.join(";") === b.values.join(";");
  if (a.kind === "spelling" && b.kind === "spelling") return a.key === b.key;
  return false;
}

const DIGITS = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String),
  fc.integer({ min: 0, max: 9_999_999 }).map((n) => `0${n}`),
);
const NUMBER = fc.record({
  negative: fc.boolean(),
  integer: DIGITS,
  fraction: fc.oneof(fc.constant(""), fc.stringMatching(/^\d{1,3}$/)),
});
type Digits = { negative: boolean; integer: string; fraction: string };

/** Another number that is often the same digits, or one edit away (a changed, added or dropped digit). */
function neighbour(n: Digits): fc.Arbitrary<Digits> {
  const edits = fc.tuple(fc.nat(n.integer.length - 1), fc.constantFrom(..."0123456789"));
  return fc.oneof(
    fc.constant(n),
    edits.map(([at, d]) => ({ ...n, integer: n.integer.slice(0, at) + d + n.integer.slice(at + 1) })),
    edits.map(([at, d]) => ({ ...n, integer: n.integer.slice(0, at) + d + n.integer.slice(at) })),
    fc.constant({ ...n, integer: n.integer.length > 1 ? n.integer.slice(1) : n.integer }),
    fc.constant({ ...n, negative: !n.negative }),
    fc.constant({ ...n, fraction: n.fraction === "" ? "0" : "" }),
    NUMBER,
  );
}

function written(n: Digits): fc.Arbitrary<Written> {
  const gaps = Array.from({ length: n.integer.length - 1 }, (_, k) => k + 1);
  const cuts = fc.oneof(fc.constant<number[]>([]), fc.constant(thousandsCuts(n.integer)), fc.subarray(gaps));
  const kind = fc.constantFrom<Kind>("tight", "loose", "space");
  return fc.tuple(kind, cuts).chain(([k, at]) =>
    fc.array(fc.constantFrom(...SPELLINGS[k]), { minLength: at.length, maxLength: at.length }).map((seps) => {
      let body = "";
      let from = 0;
      at.forEach((cut, j) => {
        body += n.integer.slice(from, cut) + seps[j];
        from = cut;
      });
      body += n.integer.slice(from);
      const text = `${n.negative ? "-" : ""}${body}${n.fraction === "" ? "" : `.${n.fraction}`}`;
      return { ...n, kind: k, cuts: at, text };
    }),
  );
}

const PAIR = NUMBER.chain((a) => fc.tuple(written(a), neighbour(a).chain(written)));

describe("separators", () => {
  it("grade two spellings equal exactly when they mean the same number, list or spelling", () => {
    fc.assert(
      fc.property(PAIR, ([a, b]) => {
        const expected = sameMeaning(meaning(a), meaning(b));
        // Tolerance 0: this is about separators, not about how close two decimals must be.
        expect(gradeAnswer(a.text, b.text, { relativeTolerance: 0 }), `${a.text} vs ${b.text}`).toBe(
          expected,
        );
      }),
      { numRuns: 4000, seed: 18 },
    );
  });

  it("never accept a different integer, however large, at the default tolerance", () => {
    fc.assert(
      fc.property(PAIR, ([a, b]) => {
        if (a.fraction !== "" || b.fraction !== "") return;
        if (gradeAnswer(a.text, b.text)) expect(sameMeaning(meaning(a), meaning(b))).toBe(true);
      }),
      { numRuns: 2000, seed: 19 },
    );
  });

  it("reads the hand-checked spellings of the generator as intended", () => {
    const w = (text: string, integer: string, kind: Kind, cuts: number[]): Written => ({
      negative: false,
      integer,
      fraction: "",
      kind,
      cuts,
      text,
    });
    expect(meaning(w("32, 349", "32349", "loose", [2]))).toEqual({ kind: "list", values: ["32", "349"] });
    expect(meaning(w("0,111", "0111", "tight", [1]))).toEqual({ kind: "list", values: ["0", "111"] });
    expect(meaning(w("12,345", "12345", "tight", [2]))).toEqual({ kind: "number", value: "12345" });
    expect(meaning(w("2 3", "23", "space", [1])).kind).toBe("spelling");
    expect(meaning(w("1 000", "1000", "space", [1]))).toEqual({ kind: "number", value: "1000" });
  });
});
