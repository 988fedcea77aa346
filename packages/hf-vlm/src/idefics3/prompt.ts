import type { ChatMessage, ChatTemplate } from "../chat-template";
import type { HfTokenizer } from "../hf-tokenizer";

const IMAGE = "<image>";
const FAKE = "<fake_token_around_image>";
const GLOBAL = "<global-img>";

/**
 * A dataset prompt (with at most one literal `<image>` marker) -> the user message of a chat: text before the
 * marker, the image, and the text after it (one newline right after the marker dropped, as the trainer's
 * `stripImageMarker` does). A prompt without a marker gets the image first, as SmolVLM was trained.
 *
 * @example
 * promptMessages("<image>\n2+2?"); // [{ role: "user", content: [{ type: "image" }, { type: "text", text: "2+2?" }] }]
 */
export function promptMessages(prompt: string): ChatMessage[] {
  const parts = prompt.split(IMAGE);
  if (parts.length > 2) {
    throw new Error(
      `encodePrompt: the prompt holds ${parts.length - 1} <image> markers; the policy takes one image per row`,
    );
  }
  const content: ChatMessage["content"] = [];
  const [before, after] =
    parts.length === 2 ? [parts[0] as string, (parts[1] as string).replace(/^\n/, "")] : ["", prompt];
  if (before !== "") content.push({ type: "text", text: before });
  content.push({ type: "image" });
  if (after !== "") content.push({ type: "text", text: after });
  return [{ role: "user", content }];
}

/**
 * The text Idefics3's processor puts in place of one `<image>` without image splitting:
 * `<fake_token_around_image><global-img>` + `<image>` x imageSeqLen + `<fake_token_around_image>`.
 */
export function imageBlock(imageSeqLen: number): string {
  return `${FAKE}${GLOBAL}${IMAGE.repeat(imageSeqLen)}${FAKE}`;
}

/**
 * Prompt ids for Idefics3: chat template with the generation prompt, each `<image>` expanded to its block,
 * then the tokenizer (no special tokens added: the template writes them).
 *
 * @example
 * encodeIdefics3Prompt("<image>\n2+2?", { tokenizer, template, imageSeqLen: 64 }).length; // 64 + 3 + text
 */
export function encodeIdefics3Prompt(
  prompt: string,
  parts: { tokenizer: HfTokenizer; template: ChatTemplate; imageSeqLen: number },
): number[] {
  const { tokenizer, template, imageSeqLen } = parts;
  for (const token of [IMAGE, FAKE, GLOBAL]) {
    if (tokenizer.tokenId(token) === undefined)
      throw new Error(`encodePrompt: the tokenizer has no ${token} token`);
  }
  const text = template.render(promptMessages(prompt), true);
  return tokenizer.encode(text.split(IMAGE).join(imageBlock(imageSeqLen)));
}
