import { describe, expect, it } from "vitest";
import { type FlagSpec, helpText, parseArgs } from "./cli-args";
import { configKeys } from "./config-keys";

const flags: FlagSpec[] = [
  { name: "resume", kind: "string", description: "run dir" },
  { name: "k", kind: "integer", description: "samples" },
];

describe("parseArgs", () => {
  it("maps dotted flags, kebab-case segments and aliases onto config keys with typed values", () => {
    const parsed = parseArgs(
      [
        "--algo",
        "grpo",
        "--cpl.tau=0.2",
        "--cpl.top-fraction",
        "0.25",
        "--lr",
        "1e-3",
        "--resume",
        "runs/a",
        "--k",
        "4",
      ],
      flags,
      true,
    );
    expect(parsed.overrides).toEqual({
      algo: "grpo",
      cpl: { tau: 0.2, topFraction: 0.25 },
      optim: { learningRate: 0.001 },
    });
    expect(parsed.flags).toEqual({ resume: "runs/a", k: 4 });
    expect(parsed.help).toBe(false);
  });

  it("treats a bare boolean flag as true and accepts explicit true/false and null", () => {
    const parsed = parseArgs(
      ["--cpl.allTokens", "--eval.before", "false", "--policyLoss.dualClip", "null"],
      [],
      true,
    );
    expect(parsed.overrides).toEqual({
      cpl: { allTokens: true },
      eval: { before: false },
      policyLoss: { dualClip: null },
    });
  });

  it("rejects unknown flags, missing values and non-numbers with the flag's name", () => {
    expect(() => parseArgs(["--cpl.tua", "1"], [], true)).toThrow(/unknown flag --cpl\.tua/);
    expect(() => parseArgs(["--steps"], [], true)).toThrow(/--steps needs a value/);
    expect(() => parseArgs(["--steps", "many"], [], true)).toThrow(/--steps expects a number, got "many"/);
    expect(() => parseArgs(["--algo", "grpo"], flags, false)).toThrow(/unknown flag --algo/);
    expect(() => parseArgs(["train"], flags, false)).toThrow(/unexpected argument "train"/);
  });

  it("documents every config key and every flag in the help", () => {
    const help = helpText("train", "Train.", flags, true);
    for (const key of configKeys()) expect(help).toContain(`--${key.path} `);
    expect(help).toContain("--resume <value>");
    expect(help).toContain("--lr");
    expect(help).toMatch(
      /--cpl\.tau <number>\s+temperature of the contrastive loss \(paper: 0\.1\) \(default 0\.1\)/,
    );
  });
});
