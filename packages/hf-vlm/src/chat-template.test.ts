import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureDir, loadCases } from "../test/fixtures";
import { loadChatTemplate } from "./chat-template";

describe("loadChatTemplate", () => {
  it("renders SmolVLM's template as Python's jinja2 does (trim_blocks, lstrip_blocks, like transformers)", async () => {
    const cases = await loadCases("tiny-idefics3-tied");
    const template = await loadChatTemplate(fixtureDir("tiny-idefics3-tied"));
    expect(template.source).toMatch(/chat_template\.json$/);
    const image = ["is the sky blue?", "2+2?"].map((text) =>
      template.render([{ role: "user", content: [{ type: "image" }, { type: "text", text }] }]),
    );
    const text = ["the cat is", "Hi"].map((t) =>
      template.render([{ role: "user", content: [{ type: "text", text: t }] }]),
    );
    expect(image).toEqual(cases.rendered.image);
    expect(text).toEqual(cases.rendered.text);
    expect(image[1]).toBe("<|im_start|>User:<image>2+2?<end_of_utterance>\nAssistant:");
  });

  it("reads chat_template.jinja first, then tokenizer_config.json, and names the folder when there is none", async () => {
    const dir = await mkdtemp(join(tmpdir(), "chat-template-"));
    try {
      await expect(loadChatTemplate(dir)).rejects.toThrow(/no chat template \(expected chat_template\.jinja/);
      await writeFile(
        join(dir, "tokenizer_config.json"),
        JSON.stringify({ chat_template: "{{ bos_token }}{{ messages[0].role }}" }),
      );
      expect(
        (await loadChatTemplate(dir, { bos_token: "<s>" })).render([{ role: "user", content: [] }]),
      ).toBe("<s>user");
      await writeFile(join(dir, "chat_template.jinja"), "J{{ messages | length }}");
      expect((await loadChatTemplate(dir)).render([{ role: "user", content: [] }])).toBe("J1");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
