import { describe, expect, it } from "vitest";
import { fixtureDir, loadCases } from "../../test/fixtures";
import { loadChatTemplate } from "../chat-template";
import { HfTokenizer } from "../hf-tokenizer";
import { encodeIdefics3Prompt, imageBlock, promptMessages } from "./prompt";

describe("promptMessages", () => {
  it("places the image where the marker is and drops the newline after it", () => {
    expect(promptMessages("<image>\nWhat is x?")).toEqual([
      { role: "user", content: [{ type: "image" }, { type: "text", text: "What is x?" }] },
    ]);
    expect(promptMessages("Look: <image> now")).toEqual([
      {
        role: "user",
        content: [{ type: "text", text: "Look: " }, { type: "image" }, { type: "text", text: " now" }],
      },
    ]);
  });

  it("puts the image first when the prompt has no marker, and refuses two images", () => {
    expect(promptMessages("2+2?")[0]?.content).toEqual([{ type: "image" }, { type: "text", text: "2+2?" }]);
    expect(() => promptMessages("<image><image>")).toThrow(
      /2 <image> markers; the policy takes one image per row/,
    );
  });
});

describe("encodeIdefics3Prompt", () => {
  it("gives the ids of the reference's processor: template, expanded image block, BPE", async () => {
    const dir = fixtureDir("tiny-idefics3-untied");
    const cases = await loadCases("tiny-idefics3-untied");
    const tokenizer = await HfTokenizer.fromDir(dir, 112);
    const template = await loadChatTemplate(dir, tokenizer.specialTokens);
    const { input_ids, attention_mask } = cases.cases.image;
    const unpadded = input_ids.map((row, r) => row.filter((_, l) => attention_mask[r]?.[l] === 1));
    const parts = { tokenizer, template, imageSeqLen: cases.image_seq_len };
    expect(encodeIdefics3Prompt("<image>\nis the sky blue?", parts)).toEqual(unpadded[0]);
    expect(encodeIdefics3Prompt("2+2?", parts)).toEqual(unpadded[1]);
    expect(imageBlock(2)).toBe(
      "<fake_token_around_image><global-img><image><image><fake_token_around_image>",
    );
  });
});
