import { describe, expect, it } from "vitest";
import { coerceFlagValue, configKeys, setPath } from "./config-keys";

describe("configKeys", () => {
  it("lists every leaf with its kind, default and description", () => {
    const keys = new Map(configKeys().map((k) => [k.path, k]));
    expect(keys.get("cpl.tau")).toMatchObject({ kind: "number", defaultValue: 0.1, nullable: false });
    expect(keys.get("steps")).toMatchObject({ kind: "integer" });
    expect(keys.get("algo")).toMatchObject({
      kind: "enum",
      values: ["grpo", "papo", "cppo"],
      defaultValue: "cppo",
    });
    expect(keys.get("policyLoss.dualClip")).toMatchObject({
      kind: "number",
      nullable: true,
      defaultValue: 3,
    });
    expect(keys.get("cpl.allTokens")).toMatchObject({ kind: "boolean", defaultValue: false });
    expect(keys.get("runDir")).toMatchObject({ kind: "string", defaultValue: undefined });
    expect(keys.has("cpl")).toBe(false);
    for (const key of keys.values()) expect(key.description.length, key.path).toBeGreaterThan(5);
  });

  it("coerces flag text by kind and sets dotted paths", () => {
    const key = (path: string) =>
      configKeys().find((k) => k.path === path) as ReturnType<typeof configKeys>[number];
    expect(coerceFlagValue(key("cpl.tau"), "0.25")).toBe(0.25);
    expect(coerceFlagValue(key("policyLoss.dualClip"), "null")).toBeNull();
    expect(coerceFlagValue(key("cpl.allTokens"), "false")).toBe(false);
    expect(() => coerceFlagValue(key("cpl.allTokens"), "yes")).toThrow(/expects true or false/);
    expect(() => coerceFlagValue(key("cpl.tau"), "")).toThrow(/expects a number/);
    expect(key("papo.klClamp")).toMatchObject({ kind: "pair", nullable: true, defaultValue: [0, 0.2] });
    expect(coerceFlagValue(key("papo.klClamp"), "0, 0.5")).toEqual([0, 0.5]);
    expect(coerceFlagValue(key("papo.klClamp"), "null")).toBeNull();
    expect(() => coerceFlagValue(key("papo.klClamp"), "0.5")).toThrow(/two numbers/);
    const target: Record<string, unknown> = { cpl: { coef: 1 } };
    setPath(target, "cpl.tau", 0.2);
    setPath(target, "seed", 3);
    expect(target).toEqual({ cpl: { coef: 1, tau: 0.2 }, seed: 3 });
  });
});
