/**
 * Ground-truth perception labels for ANY response in the synth grammar, e.g. a sampled rollout: 1 on the
 * digits written right after `name=` where `name` is a key of `values` (first mention of each name only;
 * later copies are readable from the response itself). The digits are labelled whether or not the value
 * written is correct: a misread is still a perception token.
 *
 * @example
 * labelPerception("<think>red=5 blue=7 5+7=12</think>\\boxed{12}", { red: 4, blue: 7 });
 * // 1 at indices 11 and 18, 0 elsewhere
 */
export function labelPerception(response: string, values: Record<string, number>): Uint8Array {
  const labels = new Uint8Array(response.length);
  const seen = new Set<string>();
  for (const match of response.matchAll(/([a-z]+)=(-?\d+)/g)) {
    const name = match[1] as string;
    if (!Object.hasOwn(values, name) || seen.has(name)) continue;
    seen.add(name);
    const start = (match.index as number) + name.length + 1;
    labels.fill(1, start, start + (match[2] as string).length);
  }
  return labels;
}

/**
 * Per-token labels from per-character labels: a token is a perception token when any character it covers
 * is. `offsets` are the `[start, end)` character spans a tokenizer reports for each token.
 *
 * @example
 * tokenPerceptionLabels(new Uint8Array([0, 0, 1, 0]), [[0, 2], [2, 3], [3, 4]]); // Uint8Array [0, 1, 0]
 */
export function tokenPerceptionLabels(
  charLabels: Uint8Array,
  offsets: ReadonlyArray<readonly [number, number]>,
): Uint8Array {
  const out = new Uint8Array(offsets.length);
  offsets.forEach(([start, end], t) => {
    if (
      !(
        Number.isInteger(start) &&
        Number.isInteger(end) &&
        start >= 0 &&
        start <= end &&
        end <= charLabels.length
      )
    ) {
      throw new Error(
        `tokenPerceptionLabels: offsets[${t}] = [${start}, ${end}] is not a span within [0, ${charLabels.length}]`,
      );
    }
    for (let i = start; i < end; i++) if (charLabels[i]) out[t] = 1;
  });
  return out;
}
