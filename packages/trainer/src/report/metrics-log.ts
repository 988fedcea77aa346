import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "./atomic-write";

/** One line of a run's metrics log: the step plus any named figures or labels. */
export type MetricsRecord = { step: number } & Record<string, number | string | null>;

/** An open metrics log; `append` resolves once the line is on disk. */
export type MetricsLog = {
  append(record: MetricsRecord): Promise<void>;
  close(): Promise<void>;
};

export type MetricsLogOptions = {
  /** On resume: drop every line whose step is greater than this first, so the file continues exactly. */
  truncateAfterStep?: number;
  /** Told when an existing file ends in a torn line (dropped); default `process.emitWarning`. */
  onWarning?: (message: string) => void;
};

export type ReadMetricsOptions = {
  /** Told when the file ends in a torn line (ignored); default `process.emitWarning`. */
  onWarning?: (message: string) => void;
};

// JSON has no NaN or infinities; these strings stand for them in the file and are decoded on read.
const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};

/**
 * Opens (creating it and its folder if needed) a JSON-lines metrics log for appending, one record per line,
 * each line written in one call and flushed to disk before `append` resolves. A crash therefore leaves every
 * line complete or absent (at worst a torn last line, which {@link readMetrics} ignores and the next
 * `createMetricsLog` removes). NaN and infinities are kept (written as the strings "NaN", "Infinity",
 * "-Infinity"). One writer per file.
 *
 * @example
 * const log = await createMetricsLog("runs/a/metrics.jsonl", { truncateAfterStep: 120 });
 * await log.append({ step: 121, reward_mean: 0.42, kl: 0.003 });
 * await log.close();
 */
export async function createMetricsLog(path: string, opts: MetricsLogOptions = {}): Promise<MetricsLog> {
  const { truncateAfterStep, onWarning = defaultWarning } = opts;
  if (truncateAfterStep !== undefined && !Number.isFinite(truncateAfterStep)) {
    throw new Error(`createMetricsLog: truncateAfterStep must be a finite number, got ${truncateAfterStep}`);
  }
  await mkdir(dirname(path), { recursive: true });
  const existing = await readText(path);
  if (existing !== undefined) {
    const parsed = parseMetricsText(existing, path);
    const kept =
      truncateAfterStep === undefined
        ? parsed.lines
        : parsed.lines.filter((_, i) => (parsed.records[i]?.step ?? 0) <= truncateAfterStep);
    if (parsed.tornTail !== undefined) onWarning(tornMessage(path, parsed.tornLineNumber, "dropped"));
    if (parsed.tornTail !== undefined || kept.length < parsed.lines.length) {
      await writeFileAtomic(path, kept.join(""));
    }
  }

  const handle = await open(path, "a");
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  let failure: Error | undefined;

  return {
    append(record) {
      if (closed) return Promise.reject(new Error(`metrics log ${path}: append() after close()`));
      let line: string;
      try {
        line = encodeRecord(record, path);
      } catch (error) {
        return Promise.reject(error);
      }
      const write = queue.then(async () => {
        if (failure) throw new Error(`metrics log ${path}: an earlier write failed (${failure.message})`);
        try {
          await handle.appendFile(line);
          await handle.datasync();
        } catch (error) {
          failure = error as Error;
          throw new Error(`metrics log ${path}: could not append: ${failure.message}`, { cause: error });
        }
      });
      queue = write.catch(() => {});
      return write;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await handle.close();
    },
  };
}

/**
 * Reads a metrics log written by {@link createMetricsLog}. A torn last line (no final newline, as a crash
 * mid-write leaves) is ignored and reported through `onWarning`; any other malformed line is an error naming
 * the file and line number.
 *
 * @example
 * const records = await readMetrics("runs/a/metrics.jsonl");
 * const last = records.at(-1)?.step;
 */
export async function readMetrics(path: string, opts: ReadMetricsOptions = {}): Promise<MetricsRecord[]> {
  const { onWarning = defaultWarning } = opts;
  const text = await readText(path);
  if (text === undefined) throw new Error(`readMetrics: no metrics log at ${path}`);
  const parsed = parseMetricsText(text, path);
  if (parsed.tornTail !== undefined) onWarning(tornMessage(path, parsed.tornLineNumber, "ignored"));
  return parsed.records;
}

function encodeRecord(record: MetricsRecord, path: string): string {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new Error(
      `metrics log ${path}: a record must be an object with a numeric step, got ${typeof record}`,
    );
  }
  const { step } = record;
  if (typeof step !== "number" || !Number.isInteger(step) || step < 0) {
    throw new Error(`metrics log ${path}: record.step must be an integer >= 0, got ${String(step)}`);
  }
  const out: Record<string, number | string | null> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "number") out[key] = Number.isFinite(value) ? value : String(value);
    else if (typeof value === "string" || value === null) out[key] = value;
    else {
      throw new Error(
        `metrics log ${path}: record.${key} at step ${step} must be a number, string or null, got ${typeof value}`,
      );
    }
  }
  return `${JSON.stringify(out)}\n`;
}

type ParsedMetrics = {
  records: MetricsRecord[];
  lines: string[];
  tornTail: string | undefined;
  tornLineNumber: number;
};

function parseMetricsText(text: string, path: string): ParsedMetrics {
  const records: MetricsRecord[] = [];
  const lines: string[] = [];
  let start = 0;
  let lineNumber = 0;
  // A line counts only once its newline is there: the writer emits it last, so a crash leaves it missing.
  for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
    lineNumber++;
    const line = text.slice(start, end + 1);
    start = end + 1;
    if (line.trim() === "") continue;
    records.push(decodeLine(line, path, lineNumber));
    lines.push(line);
  }
  const tail = text.slice(start);
  return { records, lines, tornTail: tail === "" ? undefined : tail, tornLineNumber: lineNumber + 1 };
}

function decodeLine(line: string, path: string, lineNumber: number): MetricsRecord {
  const where = `metrics log ${path} line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`${where}: not valid JSON: ${line.slice(0, 80).trimEnd()}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a JSON object, got ${line.slice(0, 80).trimEnd()}`);
  }
  const record: Record<string, number | string | null> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === "string") record[key] = NON_FINITE[field] ?? field;
    else if (typeof field === "number" || field === null) record[key] = field;
    else throw new Error(`${where}: "${key}" must be a number, string or null, got ${JSON.stringify(field)}`);
  }
  if (typeof record.step !== "number" || !Number.isFinite(record.step)) {
    throw new Error(`${where}: expected a numeric "step", got ${JSON.stringify(record.step)}`);
  }
  return record as MetricsRecord;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`metrics log ${path}: could not read: ${(error as Error).message}`, { cause: error });
  }
}

function tornMessage(path: string, lineNumber: number, action: string): string {
  return `metrics log ${path}: line ${lineNumber} is incomplete (torn by a crash?) and was ${action}`;
}

function defaultWarning(message: string): void {
  process.emitWarning(message, { code: "CPPO_METRICS_TORN_LINE" });
}
