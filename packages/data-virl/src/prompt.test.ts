import { describe, expect, it } from "vitest";
import { buildPrompt, REFERENCE_INSTRUCTION } from "./prompt.js";

describe("buildPrompt", () => {
  it("keeps a question that already has its one <image>", () => {
    expect(buildPrompt("<image>\nFind x.", 1, "Box it.")).toBe("<image>\nFind x.\nBox it.");
  });

  it("prepends <image>\\n where the token is missing, once per image", () => {
    expect(buildPrompt("Find x.", 1, "Box it.")).toBe("<image>\nFind x.\nBox it.");
    expect(buildPrompt("Compare.", 2, "I")).toBe("<image>\n<image>\nCompare.\nI");
  });

  it("returns null when the token count disagrees with the images", () => {
    expect(buildPrompt("<image> and <image>", 1, "I")).toBeNull();
    expect(buildPrompt("<image> only", 2, "I")).toBeNull();
  });

  it("leaves the question alone when the instruction is empty", () => {
    expect(buildPrompt("<image>Q", 1, "")).toBe("<image>Q");
  });

  it("exports the reference instruction word for word", () => {
    expect(REFERENCE_INSTRUCTION).toBe(
      "You FIRST think about the reasoning process as an internal monologue and then provide the final answer. " +
        "The reasoning process MUST BE enclosed within <think> </think> tags. The final answer MUST BE put in \\boxed{}.",
    );
  });
});
