import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { readJson } from "./read-json";

/** One chat message in transformers' multimodal form: text parts and image placeholders. */
export interface ChatMessage {
  role: string;
  content: Array<{ type: "text"; text: string } | { type: "image" }>;
}

/** A model's Jinja chat template, rendered with `@huggingface/jinja`. */
export interface ChatTemplate {
  /** Where the template was read from. */
  readonly source: string;
  /** The prompt text of `messages`, ending with the assistant's turn opener when `addGenerationPrompt`. */
  render(messages: ChatMessage[], addGenerationPrompt?: boolean): string;
}

async function templateText(dir: string): Promise<{ text: string; source: string } | undefined> {
  const jinja = join(dir, "chat_template.jinja");
  const raw = await readFile(jinja, "utf8").catch(() => undefined);
  if (raw !== undefined) return { text: raw, source: jinja };
  const json = join(dir, "chat_template.json");
  const fromJson = await readJson(json, "optional");
  if (typeof fromJson?.chat_template === "string") return { text: fromJson.chat_template, source: json };
  const config = join(dir, "tokenizer_config.json");
  const fromConfig = (await readJson(config, "optional"))?.chat_template;
  if (typeof fromConfig === "string") return { text: fromConfig, source: config };
  if (Array.isArray(fromConfig)) {
    const named = fromConfig.find((t: { name?: string }) => t?.name === "default") ?? fromConfig[0];
    if (typeof named?.template === "string") return { text: named.template, source: config };
  }
  return undefined;
}

/**
 * The chat template of a Hugging Face folder, from `chat_template.jinja`, `chat_template.json` or
 * `tokenizer_config.json` (in transformers' order of preference). `specialTokens` (`bos_token`, ...) are
 * passed to the template as variables, as transformers does.
 *
 * @example
 * const template = await loadChatTemplate("models/SmolVLM-256M-Instruct", { bos_token: "<|im_start|>" });
 * template.render([{ role: "user", content: [{ type: "image" }, { type: "text", text: "2+2?" }] }], true);
 * // "<|im_start|>User:<image>2+2?<end_of_utterance>\nAssistant:"
 */
export async function loadChatTemplate(
  dir: string,
  specialTokens: Record<string, string> = {},
): Promise<ChatTemplate> {
  const found = await templateText(dir);
  if (found === undefined) {
    throw new Error(
      `${dir}: no chat template (expected chat_template.jinja, chat_template.json or tokenizer_config.json "chat_template")`,
    );
  }
  let template: Template;
  try {
    template = new Template(found.text);
  } catch (error) {
    throw new Error(`${found.source}: the chat template does not parse (${(error as Error).message})`);
  }
  return {
    source: found.source,
    render: (messages, addGenerationPrompt = true) =>
      template.render({ ...specialTokens, messages, add_generation_prompt: addGenerationPrompt }),
  };
}
