import { reasoningResponse } from "./labelled-text";
import type { SynthFamily, SynthProblem } from "./problem";

/** An arithmetic operation on two read values, or a comparison word (`taller`, `more`, `larger`) whose answer is a name. */
export type PairOperation = "+" | "-" | "*" | { compare: string };

/**
 * A problem that reads two named values `a` and `b` off the image and combines them: the question (`a+b?` or
 * `taller:a,b?`), the reference response with its perception labels, the answer, and the key
 * `<keyPrefix><family>|<question>|a=va,b=vb`.
 *
 * @example
 * pairProblem("bars", 64, svg, { left: 5, mid: 2, right: 4 }, "left", "mid", "+", "v2|").referenceResponse;
 * // "<think>left=5 mid=2 5+2=7</think>\\boxed{7}"
 */
export function pairProblem(
  family: SynthFamily,
  imageSize: number,
  svg: string,
  values: Record<string, number>,
  a: string,
  b: string,
  operation: PairOperation,
  keyPrefix: string,
): SynthProblem {
  const va = values[a];
  const vb = values[b];
  if (va === undefined || vb === undefined) {
    throw new Error(`pairProblem: values must hold ${a} and ${b}, got ${JSON.stringify(values)}`);
  }
  let question: string;
  let arithmetic: string;
  let groundTruth: string;
  if (typeof operation === "object") {
    if (va === vb) throw new Error(`pairProblem: ${operation.compare} needs two different values, got ${va}`);
    question = `${operation.compare}:${a},${b}?`;
    arithmetic = `${va}${va > vb ? ">" : "<"}${vb}`;
    groundTruth = va > vb ? a : b;
  } else {
    question = `${a}${operation}${b}?`;
    groundTruth = String(operation === "+" ? va + vb : operation === "-" ? va - vb : va * vb);
    arithmetic = `${va}${operation}${vb}=${groundTruth}`;
  }
  const response = reasoningResponse(
    [
      [a, va],
      [b, vb],
    ],
    arithmetic,
    groundTruth,
  );
  return {
    family,
    imageSize,
    question,
    values,
    key: `${keyPrefix}${family}|${question}|${a}=${va},${b}=${vb}`,
    svg,
    referenceResponse: response.text,
    perceptionLabels: response.labels,
    groundTruth,
  };
}
