/** The instruction the reference implementation appends to every question (METHOD section 10). */
export const REFERENCE_INSTRUCTION =
  "You FIRST think about the reasoning process as an internal monologue and then provide the final answer. The reasoning process MUST BE enclosed within <think> </think> tags. The final answer MUST BE put in \\boxed{}.";

const IMAGE_TOKEN = "<image>";

/**
 * Builds a prompt with exactly one `<image>` per image: questions without the token get `<image>\n` prepended
 * once per image; a non-empty instruction follows the question on a new line.
 * Returns null when the question holds some `<image>` tokens but not as many as there are images.
 *
 * @example
 * buildPrompt("What is x?", 1, "Answer in \\boxed{}."); // "<image>\nWhat is x?\nAnswer in \\boxed{}."
 */
export function buildPrompt(question: string, imageCount: number, instruction: string): string | null {
  const tokens = question.split(IMAGE_TOKEN).length - 1;
  let body = question;
  if (tokens === 0) body = `${IMAGE_TOKEN}\n`.repeat(imageCount) + question;
  else if (tokens !== imageCount) return null;
  return instruction.length > 0 ? `${body}\n${instruction}` : body;
}
