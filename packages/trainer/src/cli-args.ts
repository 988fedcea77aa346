import { type ConfigKey, coerceFlagValue, configKeys, setPath } from "./config-keys";

/** A flag of a command that is not a config key. */
export interface FlagSpec {
  name: string;
  kind: "string" | "number" | "integer" | "boolean";
  description: string;
  defaultValue?: unknown;
  /** The config key this flag sets (a short alias), if any. */
  configPath?: string;
}

export interface ParsedArgs {
  /** Values of the command's own flags, by name. */
  flags: Record<string, unknown>;
  /** Config overrides from dotted flags and aliases, nested. */
  overrides: Record<string, unknown>;
  help: boolean;
}

/** Short aliases of the most used config keys (`--lr 1e-3` is `--optim.learningRate 1e-3`). */
export const CONFIG_ALIASES: Record<string, string> = {
  lr: "optim.learningRate",
  data: "data.source",
  "data-root": "data.root",
  out: "runDir",
  "run-dir": "runDir",
  checkpoint: "policy.checkpoint",
  "group-size": "rollout.groupSize",
  prompts: "rollout.promptsPerStep",
  "max-new-tokens": "rollout.maxNewTokens",
  lambda: "cpl.coef",
  beta: "kl.coef",
  tau: "cpl.tau",
  "top-fraction": "cpl.topFraction",
};

const camel = (text: string) => text.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parses `--name value`, `--name=value` and bare boolean `--name` flags. Dotted names and the aliases in
 * {@link CONFIG_ALIASES} set config keys (kebab-case segments are accepted: `--cpl.top-fraction`); other
 * names must be in `flagSpecs`. Unknown flags are errors that list what exists.
 *
 * @example
 * parseArgs(["--algo", "grpo", "--cpl.tau=0.2", "--resume", "runs/a"], trainFlags, true);
 * // { flags: { resume: "runs/a" }, overrides: { algo: "grpo", cpl: { tau: 0.2 } }, help: false }
 */
export function parseArgs(
  argv: readonly string[],
  flagSpecs: readonly FlagSpec[],
  acceptConfig: boolean,
): ParsedArgs {
  const keys = acceptConfig ? new Map(configKeys().map((k) => [k.path, k])) : new Map<string, ConfigKey>();
  const specs = new Map(flagSpecs.map((f) => [f.name, f]));
  const flags: Record<string, unknown> = {};
  const overrides: Record<string, unknown> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}" (flags look like --name value)`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const next = argv[i + 1];
    const takeValue = (isBoolean: boolean): string => {
      if (inline !== undefined) return inline;
      if (isBoolean && (next === undefined || next.startsWith("--") || !/^(true|false|0|1)$/.test(next)))
        return "true";
      if (next === undefined) throw new Error(`flag --${name} needs a value`);
      i += 1;
      return next;
    };
    const spec = specs.get(name);
    if (spec) {
      const text = takeValue(spec.kind === "boolean");
      const key: ConfigKey = {
        path: name,
        kind: spec.kind,
        nullable: false,
        defaultValue: undefined,
        description: "",
      };
      const value = spec.configPath
        ? coerceFlagValue(keys.get(spec.configPath) ?? key, text)
        : coerceFlagValue(key, text);
      if (spec.configPath) setPath(overrides, spec.configPath, value);
      else flags[spec.name] = value;
      continue;
    }
    const path = acceptConfig ? (CONFIG_ALIASES[name] ?? name.split(".").map(camel).join(".")) : undefined;
    const key = path ? keys.get(path) : undefined;
    if (!key || !path) {
      const known = [
        ...specs.keys(),
        ...(acceptConfig ? ["<config key>", ...Object.keys(CONFIG_ALIASES)] : []),
      ];
      throw new Error(
        `unknown flag --${name}; known flags: ${known.map((k) => `--${k}`).join(", ")} (see --help)`,
      );
    }
    setPath(overrides, path, coerceFlagValue(key, takeValue(key.kind === "boolean")));
  }
  return { flags, overrides, help };
}

/**
 * Help text of a command: its own flags, then (for commands that take a config) every config key with its
 * default, generated from the schema so no flag goes undocumented.
 *
 * @example
 * console.log(helpText("train", "Train a policy.", trainFlags, true));
 */
export function helpText(
  command: string,
  summary: string,
  flagSpecs: readonly FlagSpec[],
  acceptConfig: boolean,
): string {
  const lines = [`Usage: cppo ${command} [flags]`, "", summary, "", "Flags:"];
  const row = (flag: string, text: string) =>
    flag.length > 34
      ? lines.push(`  ${flag}`, `  ${"".padEnd(34)} ${text}`)
      : lines.push(`  ${flag.padEnd(34)} ${text}`);
  for (const spec of flagSpecs) {
    const value = spec.kind === "boolean" ? "" : ` <${spec.kind === "string" ? "value" : spec.kind}>`;
    const def = spec.defaultValue === undefined ? "" : ` (default ${JSON.stringify(spec.defaultValue)})`;
    row(`--${spec.name}${value}`, `${spec.description}${def}`);
  }
  row("--help, -h", "show this help");
  if (acceptConfig) {
    lines.push("", "Config keys (also settable in the --config file; flags override the file):");
    for (const key of configKeys()) {
      const type =
        key.kind === "enum" ? (key.values ?? []).join("|") : key.kind === "pair" ? "low,high" : key.kind;
      const def = key.defaultValue === undefined ? "" : ` (default ${JSON.stringify(key.defaultValue)})`;
      row(`--${key.path} <${type}${key.nullable ? "|null" : ""}>`, `${key.description}${def}`);
    }
    lines.push("", "Aliases:");
    for (const [alias, path] of Object.entries(CONFIG_ALIASES)) row(`--${alias}`, `--${path}`);
  }
  return `${lines.join("\n")}\n`;
}
