import { extractBoxed } from "./extract-boxed";
import { type GradeOptions, gradeAnswer } from "./grade-answer";

/** Options of {@link mathReward} and {@link scoreResponse}. */
export interface RewardOptions extends GradeOptions {
  /** Weight of the format term; accuracy gets `1 - formatWeight`. Default 0.1 (METHOD section 1). */
  formatWeight?: number;
}

/** Everything {@link scoreResponse} computes for one response, for logging. */
export interface ResponseScore {
  /** `(1 - formatWeight) * accuracy + formatWeight * format`. */
  reward: number;
  /** 1 when the last boxed answer grades equal to the truth, else 0. */
  accuracy: 0 | 1;
  /** 1 when the whole response is `<think>...</think>...\boxed{...}`, else 0. */
  format: 0 | 1;
  /** The last balanced boxed answer, or null when there is none. */
  extracted: string | null;
}

const THINK_OPEN = "<think>";
const THINK_CLOSE = "</think>";
const BOX_OPEN = "\\boxed{";

/**
 * 1 when the whole response matches `<think>.*</think>.*\boxed{.*}` with `.` matching newlines, else 0.
 * Anchored at both ends: nothing may precede `<think>` or follow the final `}` (not even a newline).
 * Checked without a regular expression, which would backtrack cubically on adversarial text.
 *
 * @example
 * formatReward("<think>add</think> so \\boxed{4}"); // 1
 * formatReward("<think>add</think> \\boxed{4}."); // 0
 */
export function formatReward(text: string): 0 | 1 {
  assertString(text, "formatReward", "text");
  if (!text.startsWith(THINK_OPEN) || !text.endsWith("}")) return 0;
  const thinkClose = text.indexOf(THINK_CLOSE, THINK_OPEN.length);
  if (thinkClose < 0) return 0;
  const lastBox = text.lastIndexOf(BOX_OPEN, text.length - 1 - BOX_OPEN.length);
  return lastBox >= thinkClose + THINK_CLOSE.length ? 1 : 0;
}

/**
 * 1 when the last balanced `\boxed{...}` of the response grades equal to `truth`, else 0. The truth may be
 * plain (`"\\frac{1}{2}"`) or itself boxed (`"\\boxed{\\frac{1}{2}}"`, as in ViRL39K): when it contains a
 * balanced box, its last boxed content is the truth.
 *
 * @example
 * accuracyReward("<think>..</think> \\boxed{0.5}", "\\frac{1}{2}"); // 1
 * accuracyReward("the answer is 0.5", "\\frac{1}{2}"); // 0 (nothing boxed)
 */
export function accuracyReward(text: string, truth: string, options: GradeOptions = {}): 0 | 1 {
  return scoreResponse(text, truth, options).accuracy;
}

/**
 * The CPPO reward of one response: `(1 - formatWeight) * accuracy + formatWeight * format`.
 *
 * @example
 * mathReward("<think>2+2</think>\\boxed{4}", "4"); // 1
 * mathReward("\\boxed{4}", "4"); // 0.9
 * mathReward("<think>2+2</think>\\boxed{5}", "4"); // 0.1
 */
export function mathReward(text: string, truth: string, options: RewardOptions = {}): number {
  return scoreResponse(text, truth, options).reward;
}

/**
 * The reward of one response with its parts, for logging.
 *
 * @example
 * scoreResponse("<think>..</think> \\boxed{\\frac72}", "3\\frac{1}{2}");
 * // { reward: 1, accuracy: 1, format: 1, extracted: "\\frac72" }
 */
export function scoreResponse(text: string, truth: string, options: RewardOptions = {}): ResponseScore {
  assertString(text, "scoreResponse", "text");
  assertString(truth, "scoreResponse", "truth");
  const { formatWeight = 0.1, ...gradeOptions } = options;
  if (!(formatWeight >= 0 && formatWeight <= 1)) {
    throw new RangeError(`scoreResponse: formatWeight must be a number in [0, 1], got ${formatWeight}`);
  }
  const extracted = extractBoxed(text);
  const plainTruth = extractBoxed(truth) ?? truth;
  const accuracy = extracted !== null && gradeAnswer(extracted, plainTruth, gradeOptions) ? 1 : 0;
  const format = formatReward(text);
  return { reward: (1 - formatWeight) * accuracy + formatWeight * format, accuracy, format, extracted };
}

function assertString(value: unknown, fn: string, name: string): asserts value is string {
  if (typeof value !== "string") throw new TypeError(`${fn}: ${name} must be a string, got ${typeof value}`);
}
