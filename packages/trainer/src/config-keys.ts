import type { z } from "zod";
import { trainConfigSchema } from "./config";

/** One leaf of the config: its dotted path, value kind, default and meaning (for flags, help and the README). */
export interface ConfigKey {
  path: string;
  kind: "number" | "integer" | "boolean" | "string" | "enum" | "pair";
  nullable: boolean;
  values?: string[];
  defaultValue: unknown;
  description: string;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string>;
  checks?: Array<{ _zod: { def: { check: string; format?: string } } }>;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Every leaf key of {@link trainConfigSchema}, in declaration order.
 *
 * @example
 * configKeys().find((k) => k.path === "cpl.tau"); // { kind: "number", defaultValue: 0.1, ... }
 */
export function configKeys(schema: z.ZodType = trainConfigSchema): ConfigKey[] {
  const keys: ConfigKey[] = [];
  const visit = (node: z.ZodType, path: string, description: string) => {
    let current = node;
    let defaultValue: unknown;
    let nullable = false;
    let text = description || (current.description ?? "");
    for (;;) {
      const def = defOf(current);
      if (def.type === "default" || def.type === "prefault") {
        defaultValue = def.defaultValue;
      } else if (def.type === "nullable") {
        nullable = true;
      } else if (def.type !== "optional") {
        break;
      }
      current = def.innerType as z.ZodType;
      text ||= current.description ?? "";
    }
    const def = defOf(current);
    if (def.type === "object") {
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        visit(child, path ? `${path}.${key}` : key, child.description ?? "");
      }
      return;
    }
    const isInt = (def.checks ?? []).some(
      (c) => c._zod.def.format === "safeint" || c._zod.def.format === "int32",
    );
    const kinds: Record<string, ConfigKey["kind"]> = { boolean: "boolean", enum: "enum", tuple: "pair" };
    const kind: ConfigKey["kind"] =
      def.type === "number" ? (isInt ? "integer" : "number") : (kinds[def.type] ?? "string");
    const key: ConfigKey = { path, kind, nullable, defaultValue, description: text };
    if (kind === "enum") key.values = Object.values(def.entries ?? {});
    keys.push(key);
  };
  visit(schema, "", "");
  return keys;
}

/**
 * Turns a flag's text into the value its config key takes (numbers, booleans, `null`); validation happens later.
 *
 * @example
 * coerceFlagValue(configKeys().find((k) => k.path === "cpl.tau")!, "0.2"); // 0.2
 */
export function coerceFlagValue(key: ConfigKey, text: string): unknown {
  if (key.nullable && text === "null") return null;
  if (key.kind === "number" || key.kind === "integer") {
    const value = Number(text);
    if (text.trim() === "" || Number.isNaN(value)) {
      throw new Error(`--${key.path} expects a number, got "${text}"`);
    }
    return value;
  }
  if (key.kind === "pair") {
    const parts = text.split(",").map((part) => Number(part.trim()));
    if (parts.length !== 2 || parts.some((v) => Number.isNaN(v))) {
      throw new Error(`--${key.path} expects two numbers "low,high", got "${text}"`);
    }
    return parts;
  }
  if (key.kind === "boolean") {
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    throw new Error(`--${key.path} expects true or false, got "${text}"`);
  }
  return text;
}

/**
 * Sets `value` at a dotted `path` inside a nested object (creating the objects on the way).
 *
 * @example
 * const o = {}; setPath(o, "cpl.tau", 0.2); // o = { cpl: { tau: 0.2 } }
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
