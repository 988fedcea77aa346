/**
 * Draws one token from `logits [V]` at `temperature` (0 = greedy) with nucleus `topP`, and returns it with its
 * log-probability under the untempered, untruncated distribution (temperature 1).
 *
 * @example
 * sampleToken(new Float32Array([0, 0, 5]), 1, 1, mulberry32(1)); // { token: 2, logProb: -0.013... } most draws
 */
export function sampleToken(
  logits: ArrayLike<number>,
  temperature: number,
  topP: number,
  next: () => number,
): { token: number; logProb: number } {
  const vocab = logits.length;
  let max = Number.NEGATIVE_INFINITY;
  let argmax = 0;
  for (let i = 0; i < vocab; i++) {
    const value = logits[i] as number;
    if (Number.isNaN(value)) throw new Error(`sampleToken: logits[${i}] is NaN`);
    if (value > max) {
      max = value;
      argmax = i;
    }
  }
  let sum = 0;
  for (let i = 0; i < vocab; i++) sum += Math.exp((logits[i] as number) - max);
  const logNormaliser = max + Math.log(sum);
  const logProbOf = (token: number) => (logits[token] as number) - logNormaliser;
  if (temperature === 0) return { token: argmax, logProb: logProbOf(argmax) };

  const weights = new Float64Array(vocab);
  let total = 0;
  for (let i = 0; i < vocab; i++) {
    weights[i] = Math.exp(((logits[i] as number) - max) / temperature);
    total += weights[i] as number;
  }
  let candidates = Array.from({ length: vocab }, (_, i) => i);
  if (topP < 1) {
    candidates.sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
    let kept = 0;
    let mass = 0;
    while (kept < vocab && mass < topP * total) mass += weights[candidates[kept++] as number] as number;
    candidates = candidates.slice(0, Math.max(1, kept));
    total = mass;
  }
  let draw = next() * total;
  let lastPositive = argmax;
  for (const token of candidates) {
    const weight = weights[token] as number;
    if (weight <= 0) continue;
    draw -= weight;
    lastPositive = token;
    if (draw < 0) return { token, logProb: logProbOf(token) };
  }
  // rounding left a sliver of mass: fall back to the last token that had any
  return { token: lastPositive, logProb: logProbOf(lastPositive) };
}
