import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMetricsLog, type MetricsRecord, readMetrics } from "./metrics-log";
import { here, runAndKill } from "./test-child";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cppo-metrics-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function collectWarnings() {
  const warnings: string[] = [];
  return { warnings, onWarning: (message: string) => warnings.push(message) };
}

describe("createMetricsLog / readMetrics", () => {
  it("round-trips records, including null, strings, NaN and infinities", async () => {
    const path = join(dir, "nested", "metrics.jsonl");
    const records: MetricsRecord[] = [
      { step: 0, reward_mean: 0.25, kl: 0, note: "warmup" },
      { step: 1, reward_mean: Number.NaN, kl: Number.POSITIVE_INFINITY, cpl: null },
      { step: 2, reward_mean: -1.5e-7, kl: Number.NEGATIVE_INFINITY },
    ];
    const log = await createMetricsLog(path);
    for (const record of records) await log.append(record);
    await log.close();
    expect(await readFile(path, "utf8")).toBe(
      [
        '{"step":0,"reward_mean":0.25,"kl":0,"note":"warmup"}',
        '{"step":1,"reward_mean":"NaN","kl":"Infinity","cpl":null}',
        '{"step":2,"reward_mean":-1.5e-7,"kl":"-Infinity"}',
        "",
      ].join("\n"),
    );
    expect(await readMetrics(path)).toEqual(records);
  });

  it("has each line on disk as soon as append resolves, in call order even without awaiting", async () => {
    const path = join(dir, "m.jsonl");
    const log = await createMetricsLog(path);
    await log.append({ step: 0, a: 1 });
    expect(await readFile(path, "utf8")).toBe('{"step":0,"a":1}\n');
    await Promise.all([1, 2, 3, 4, 5].map((step) => log.append({ step, a: step * 10 })));
    expect((await readMetrics(path)).map((r) => r.a)).toEqual([1, 10, 20, 30, 40, 50]);
    await log.close();
    await log.close();
    await expect(log.append({ step: 6 })).rejects.toThrow(`metrics log ${path}: append() after close()`);
  });

  it("appends to an existing log", async () => {
    const path = join(dir, "m.jsonl");
    await writeFile(path, '{"step":0,"a":1}\n');
    const log = await createMetricsLog(path);
    await log.append({ step: 1, a: 2 });
    await log.close();
    expect(await readMetrics(path)).toEqual([
      { step: 0, a: 1 },
      { step: 1, a: 2 },
    ]);
  });

  it("ignores a torn last line when reading, and says which", async () => {
    const path = join(dir, "m.jsonl");
    await writeFile(path, '{"step":0,"a":1}\n{"step":1,"a":2}\n{"step":2,"a"');
    const { warnings, onWarning } = collectWarnings();
    expect(await readMetrics(path, { onWarning })).toEqual([
      { step: 0, a: 1 },
      { step: 1, a: 2 },
    ]);
    expect(warnings).toEqual([
      `metrics log ${path}: line 3 is incomplete (torn by a crash?) and was ignored`,
    ]);
  });

  it("counts a last line without its newline as torn even if it parses", async () => {
    const path = join(dir, "m.jsonl");
    await writeFile(path, '{"step":0}\n{"step":1}');
    const { warnings, onWarning } = collectWarnings();
    expect(await readMetrics(path, { onWarning })).toEqual([{ step: 0 }]);
    expect(warnings).toHaveLength(1);
  });

  it("drops a torn last line before appending, so new lines stay whole", async () => {
    const path = join(dir, "m.jsonl");
    await writeFile(path, '{"step":0,"a":1}\n{"step":1,"a":');
    const { warnings, onWarning } = collectWarnings();
    const log = await createMetricsLog(path, { onWarning });
    await log.append({ step: 1, a: 5 });
    await log.close();
    expect(warnings).toEqual([
      `metrics log ${path}: line 2 is incomplete (torn by a crash?) and was dropped`,
    ]);
    expect(await readFile(path, "utf8")).toBe('{"step":0,"a":1}\n{"step":1,"a":5}\n');
    expect(await readdir(dir)).toEqual(["m.jsonl"]);
  });

  it("truncateAfterStep drops later lines so a resumed run continues the file exactly", async () => {
    const path = join(dir, "m.jsonl");
    const first = await createMetricsLog(path);
    for (let step = 0; step < 6; step++) await first.append({ step, loss: step / 10 });
    await first.close();
    // the run crashed after step 5 but its last checkpoint is step 3
    const resumed = await createMetricsLog(path, { truncateAfterStep: 3 });
    for (let step = 4; step < 8; step++) await resumed.append({ step, loss: step / 10 });
    await resumed.close();

    const uninterrupted = join(dir, "straight.jsonl");
    const straight = await createMetricsLog(uninterrupted);
    for (let step = 0; step < 8; step++) await straight.append({ step, loss: step / 10 });
    await straight.close();
    expect(await readFile(path, "utf8")).toBe(await readFile(uninterrupted, "utf8"));
    expect((await readMetrics(path)).map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("truncateAfterStep keeps several records of one step and works on a missing file", async () => {
    const path = join(dir, "m.jsonl");
    await writeFile(path, '{"step":1,"a":1}\n{"step":2,"a":2}\n{"step":2,"eval":0.5}\n{"step":3,"a":3}\n');
    const log = await createMetricsLog(path, { truncateAfterStep: 2 });
    await log.close();
    expect(await readFile(path, "utf8")).toBe('{"step":1,"a":1}\n{"step":2,"a":2}\n{"step":2,"eval":0.5}\n');
    const fresh = await createMetricsLog(join(dir, "new.jsonl"), { truncateAfterStep: 10 });
    await fresh.close();
    expect(await readMetrics(join(dir, "new.jsonl"))).toEqual([]);
  });

  it("rejects bad records with the field named", async () => {
    const path = join(dir, "m.jsonl");
    const log = await createMetricsLog(path);
    await expect(log.append({ step: -1 })).rejects.toThrow("record.step must be an integer >= 0, got -1");
    await expect(log.append({ step: 1.5 })).rejects.toThrow("record.step must be an integer >= 0, got 1.5");
    await expect(log.append({ step: 2, extra: { a: 1 } as unknown as number })).rejects.toThrow(
      "record.extra at step 2 must be a number, string or null, got object",
    );
    await log.close();
    expect(await readFile(path, "utf8")).toBe("");
    await expect(createMetricsLog(path, { truncateAfterStep: Number.NaN })).rejects.toThrow(
      "truncateAfterStep must be a finite number, got NaN",
    );
  });

  it("reports a malformed middle line by file and line number", async () => {
    const path = join(dir, "m.jsonl");
    await writeFile(path, '{"step":0}\nnot json\n{"step":2}\n');
    await expect(readMetrics(path)).rejects.toThrow(`metrics log ${path} line 2: not valid JSON: not json`);
    await writeFile(path, '{"step":0}\n{"loss":1}\n');
    await expect(readMetrics(path)).rejects.toThrow(`line 2: expected a numeric "step", got undefined`);
    await writeFile(path, '{"step":0,"x":[1]}\n');
    await expect(readMetrics(path)).rejects.toThrow(`line 1: "x" must be a number, string or null, got [1]`);
    await expect(createMetricsLog(path)).rejects.toThrow(`line 1`);
  });

  it("names a missing file", async () => {
    const path = join(dir, "absent.jsonl");
    await expect(readMetrics(path)).rejects.toThrow(`readMetrics: no metrics log at ${path}`);
  });

  it("keeps every line whole when the writing process is killed mid-run, and resumes cleanly", async () => {
    const path = join(dir, "killed.jsonl");
    const source = `
      import { createMetricsLog } from ${JSON.stringify(here("./metrics-log.ts"))};
      const log = await createMetricsLog(${JSON.stringify(path)});
      for (let step = 0; ; step++) await log.append({ step, loss: step / 7, note: "x".repeat(step % 50) });
    `;
    const lines = async () => (await readFile(path, "utf8").catch(() => "")).split("\n").length - 1;
    await runAndKill(dir, source, async () => (await lines()) >= 300);
    const { warnings, onWarning } = collectWarnings();
    const records = await readMetrics(path, { onWarning });
    expect(records.length).toBeGreaterThanOrEqual(300);
    expect(warnings.length).toBeLessThanOrEqual(1);
    records.forEach((record, step) => {
      expect(record).toEqual({ step, loss: step / 7, note: "x".repeat(step % 50) });
    });
    const last = records.length - 1;
    const resumed = await createMetricsLog(path, { truncateAfterStep: last - 10, onWarning });
    await resumed.append({ step: last - 9, loss: -1, note: "resumed" });
    await resumed.close();
    const after = await readMetrics(path, { onWarning });
    expect(after).toHaveLength(last - 8);
    expect(after.at(-1)).toEqual({ step: last - 9, loss: -1, note: "resumed" });
  });
});
