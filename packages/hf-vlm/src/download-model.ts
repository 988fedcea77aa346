import { join } from "node:path";
import { type DownloadEvent, downloadHubFile } from "@cppo/hub";
import { SHARD_INDEX, SINGLE_FILE } from "./checkpoint-files";
import { readJson } from "./read-json";

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /** The folder the model's files go to (created if needed); `fromPretrained` loads it. */
  dir: string;
  revision?: string;
  /** Hub base URL, e.g. a mirror. Default https://huggingface.co. */
  hubUrl?: string;
  accessToken?: string;
  fetch?: typeof fetch;
  /** Called once per file with what was done. */
  onFile?: (event: DownloadEvent) => void;
}

/** Small files `fromPretrained` reads when a repository has them. */
const OPTIONAL_FILES = [
  "tokenizer_config.json",
  "generation_config.json",
  "preprocessor_config.json",
  "processor_config.json",
  "chat_template.json",
  "chat_template.jinja",
  "special_tokens_map.json",
];

/**
 * Downloads what `fromPretrained` needs from a Hub model repository into `dir`: `config.json`, the
 * weights (`model.safetensors.index.json` and its shards, or `model.safetensors`), `tokenizer.json` and the
 * optional configs it finds. Each file is resumable and checked like the ViRL39K download (`.part` files,
 * Range requests, sha256 ETags); files already complete are skipped. Returns `dir`.
 *
 * @example
 * const dir = await downloadModel("HuggingFaceTB/SmolVLM-256M-Instruct", { dir: "models/smolvlm-256m" });
 * const policy = await fromPretrained(dir);
 */
export async function downloadModel(repoId: string, options: DownloadModelOptions): Promise<string> {
  const { dir, revision = "main", hubUrl, accessToken, fetch, onFile } = options;
  if (!/^[\w.-]+\/[\w.-]+$/.test(repoId))
    throw new Error(`downloadModel: "${repoId}" is not a repository id (owner/name)`);
  const repo = { type: "model" as const, name: repoId, revision, hubUrl, accessToken, fetch };
  const missing = (file: string) =>
    new Error(`downloadModel: ${file} not found in model ${repoId} at revision ${revision}`);
  const fetchFile = async (file: string, required: boolean) => {
    const event = await downloadHubFile(repo, file, join(dir, file), "downloadModel");
    if (event === null && required) throw missing(file);
    if (event !== null) onFile?.(event);
    return event !== null;
  };
  await fetchFile("config.json", true);
  if (await fetchFile(SHARD_INDEX, false)) {
    const index = await readJson(join(dir, SHARD_INDEX));
    const shards = new Set(Object.values((index?.weight_map ?? {}) as Record<string, string>));
    if (shards.size === 0) throw new Error(`downloadModel: ${SHARD_INDEX} of ${repoId} lists no shards`);
    for (const shard of shards) await fetchFile(shard, true);
  } else if (!(await fetchFile(SINGLE_FILE, false))) {
    throw new Error(
      `downloadModel: model ${repoId} at revision ${revision} has neither ${SINGLE_FILE} nor ${SHARD_INDEX}`,
    );
  }
  await fetchFile("tokenizer.json", true);
  for (const file of OPTIONAL_FILES) await fetchFile(file, false);
  return dir;
}
