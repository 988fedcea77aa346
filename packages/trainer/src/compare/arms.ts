import type { TrainConfigInput } from "../config";

/** One trained configuration of a comparison, run once per seed. */
export interface Arm {
  /** Folder-safe name, e.g. `cppo`. */
  name: string;
  /** How tables and plots call it. */
  label: string;
  config: TrainConfigInput;
}

/**
 * Every arm `cppo compare` knows. The three methods, and the paper's ablation ladder (METHOD section 7):
 * GRPO; + CPL on all response tokens; + CPL on the detected top-fraction perception tokens only; + advantage
 * gating, which is CPPO itself.
 */
export const ARMS: readonly Arm[] = [
  { name: "grpo", label: "GRPO", config: { algo: "grpo" } },
  { name: "papo", label: "PAPO", config: { algo: "papo" } },
  { name: "cppo", label: "CPPO", config: { algo: "cppo", eval: { detector: true } } },
  {
    name: "cpl-all-tokens",
    label: "GRPO + CPL on all tokens",
    config: { algo: "cppo", cpl: { allTokens: true, advantageGating: false } },
  },
  {
    name: "cpl-perception-tokens",
    label: "GRPO + CPL on perception tokens",
    config: { algo: "cppo", cpl: { allTokens: false, advantageGating: false } },
  },
];

/** The head-to-head table's arms, in order. */
export const METHOD_ARMS = ["grpo", "papo", "cppo"] as const;

/** The ablation ladder's rungs, in order; the last rung (advantage gating added) is CPPO. */
export const ABLATION_LADDER = [
  { arm: "grpo", rung: "GRPO" },
  { arm: "cpl-all-tokens", rung: "+ CPL on all tokens" },
  { arm: "cpl-perception-tokens", rung: "+ top-fraction perception tokens only" },
  { arm: "cppo", rung: "+ advantage gating (CPPO)" },
] as const;

/**
 * The arms named, in the order given; an unknown name is an error listing the known ones.
 *
 * @example
 * armsNamed(["grpo", "cppo"]).map((a) => a.label); // ["GRPO", "CPPO"]
 */
export function armsNamed(names: readonly string[]): Arm[] {
  return names.map((name) => {
    const arm = ARMS.find((a) => a.name === name);
    if (!arm) throw new Error(`unknown arm "${name}"; known arms: ${ARMS.map((a) => a.name).join(", ")}`);
    return arm;
  });
}
