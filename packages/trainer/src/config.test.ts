import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultConfig, mergeConfig, readConfigFile, resolveConfig } from "./config";

const dir = await mkdtemp(join(tmpdir(), "cppo-config-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("config", () => {
  it("fills in METHOD's defaults", () => {
    const config = defaultConfig();
    expect(config.algo).toBe("cppo");
    expect(config.cpl).toEqual({
      coef: 0.02,
      tau: 0.1,
      topFraction: 0.5,
      allTokens: false,
      advantageGating: true,
      estimator: "k3",
      // METHOD section 5: in the reference implementation all three log-probs carry gradients.
      anchorGradient: true,
    });
    expect(config.kl).toEqual({ coef: 0.01, estimator: "k3" });
    expect(config.policyLoss.clipLow).toBe(0.2);
    expect(config.policyLoss.clipHigh).toBe(0.2);
    expect(config.policyLoss.dualClip).toBe(3);
    expect(config.rollout.groupSize).toBe(5);
    expect(config.rollout.temperature).toBe(1);
    expect(config.optim.gradClip).toBe(1);
    expect(config.eval.k).toBe(8);
  });

  it("keeps given values and defaults the rest of a nested object", () => {
    const config = resolveConfig({ cpl: { tau: 0.2 }, policyLoss: { dualClip: null } });
    expect(config.cpl.tau).toBe(0.2);
    expect(config.cpl.coef).toBe(0.02);
    expect(config.policyLoss.dualClip).toBeNull();
  });

  it("names every bad key path in one error", () => {
    let message = "";
    try {
      resolveConfig({ algo: "ppo", cpl: { tua: 1, tau: -1 }, extra: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid config:/);
    expect(message).toMatch(/algo: .*"grpo"\|"papo"\|"cppo"/);
    expect(message).toMatch(/cpl\.tua: unknown key/);
    expect(message).toMatch(/cpl\.tau: .*>0/);
    expect(message).toMatch(/extra: unknown key/);
  });

  it("reads JSON and YAML files and says which file is wrong", async () => {
    await writeFile(join(dir, "a.json"), JSON.stringify({ algo: "grpo", cpl: { tau: 0.3 } }));
    await writeFile(join(dir, "b.yaml"), "algo: papo\nrollout:\n  groupSize: 4\n");
    await writeFile(join(dir, "bad.yaml"), "algo: [unclosed\n");
    await writeFile(join(dir, "list.yaml"), "- 1\n- 2\n");
    expect(await readConfigFile(join(dir, "a.json"))).toEqual({ algo: "grpo", cpl: { tau: 0.3 } });
    expect(resolveConfig(await readConfigFile(join(dir, "b.yaml"))).rollout.groupSize).toBe(4);
    await expect(readConfigFile(join(dir, "bad.yaml"))).rejects.toThrow(
      /cannot parse config file .*bad\.yaml/,
    );
    await expect(readConfigFile(join(dir, "list.yaml"))).rejects.toThrow(/list\.yaml must hold an object/);
    await expect(readConfigFile(join(dir, "missing.json"))).rejects.toThrow(
      /cannot read config file .*missing\.json/,
    );
  });

  it("merges deeply: later values win, sibling keys survive", () => {
    const merged = mergeConfig({ algo: "grpo", cpl: { tau: 0.1, coef: 1 } }, { cpl: { tau: 0.2 }, steps: 5 });
    expect(merged).toEqual({ algo: "grpo", cpl: { tau: 0.2, coef: 1 }, steps: 5 });
  });
});
