import type { Writable } from "node:stream";
import { formatNumber } from "./format-number";

export type ProgressOptions = {
  /** Step count at completion. */
  total: number;
  /** Shown first on every line, e.g. "train". */
  label?: string;
  /** Default `process.stderr`. */
  stream?: NodeJS.WritableStream | Writable;
  /** Redraw one line in place; default the stream's own `isTTY`. */
  isTTY?: boolean;
  /** Milliseconds; default `performance.now`. */
  now?: () => number;
  /** The step a resumed run starts from, so the ETA counts only steps done since. Default 0. */
  startStep?: number;
  /** Characters in the TTY bar. Default 24. */
  barWidth?: number;
};

export type Progress = {
  update(step: number, summary?: Record<string, number>): void;
  log(line: string): void;
  done(): void;
};

const CLEAR_LINE = "\r\x1b[K";

/**
 * A progress display for a run of `total` steps. On a TTY it redraws one line: label, bar, step/total,
 * percent, elapsed time, ETA and the summary's figures (cut to the terminal width so it never wraps);
 * elsewhere (a log file, CI) it prints one plain line per update. `log` prints a line above the bar without
 * breaking it. ETA = (total - step) * elapsed / (step - startStep).
 *
 * @example
 * const progress = createProgress({ total: 100, label: "train" });
 * progress.update(10, { reward_mean: 0.42, kl: 0.0031 });
 * progress.log("sample: <think>...</think> \\boxed{3}");
 * progress.done();
 */
export function createProgress(opts: ProgressOptions): Progress {
  const { total, label = "", startStep = 0, barWidth = 24 } = opts;
  if (!Number.isInteger(total) || total < 1) {
    throw new Error(`createProgress: total must be an integer >= 1, got ${total}`);
  }
  if (!Number.isFinite(startStep) || startStep < 0 || startStep > total) {
    throw new Error(`createProgress: startStep must be in [0, total=${total}], got ${startStep}`);
  }
  if (!Number.isInteger(barWidth) || barWidth < 1) {
    throw new Error(`createProgress: barWidth must be an integer >= 1, got ${barWidth}`);
  }
  const stream = opts.stream ?? process.stderr;
  const isTTY = opts.isTTY ?? Boolean((stream as { isTTY?: boolean }).isTTY);
  const now = opts.now ?? (() => performance.now());
  const start = now();
  const prefix = label === "" ? "" : `${label} `;
  let barLine: string | undefined;
  let lastStep = startStep;
  let finished = false;

  const fitToTerminal = (line: string) => {
    const columns = (stream as { columns?: number }).columns;
    return columns && columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
  };

  return {
    update(step, summary = {}) {
      if (finished) throw new Error("progress: update() after done()");
      if (!Number.isFinite(step) || step < startStep || step > total) {
        throw new Error(`progress: step must be in [startStep=${startStep}, total=${total}], got ${step}`);
      }
      for (const [key, value] of Object.entries(summary)) {
        if (typeof value !== "number")
          throw new Error(`progress: summary.${key} must be a number, got ${typeof value}`);
      }
      lastStep = step;
      const elapsed = now() - start;
      const done = step - startStep;
      const eta = done > 0 ? formatDuration(((total - step) * elapsed) / done) : "?";
      const percent = `${Math.floor((100 * step) / total)}%`;
      const figures = Object.entries(summary)
        .map(([key, value]) => ` ${key}=${formatNumber(value, 3)}`)
        .join("");
      if (isTTY) {
        const filled = Math.round((barWidth * step) / total);
        const bar = `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]`;
        const timing = `${formatDuration(elapsed)} eta ${eta}`;
        barLine = fitToTerminal(`${prefix}${bar} ${step}/${total} ${percent} ${timing}${figures}`);
        stream.write(`${CLEAR_LINE}${barLine}`);
      } else {
        stream.write(
          `${prefix}${step}/${total} (${percent}) elapsed ${formatDuration(elapsed)} eta ${eta}${figures}\n`,
        );
      }
    },
    log(line) {
      if (isTTY && barLine !== undefined && !finished) {
        stream.write(`${CLEAR_LINE}${line}\n${barLine}`);
      } else {
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (finished) return;
      finished = true;
      if (isTTY) {
        if (barLine !== undefined) stream.write("\n");
      } else {
        stream.write(`${prefix}done ${lastStep}/${total} in ${formatDuration(now() - start)}\n`);
      }
    },
  };
}

/** `m:ss` below an hour, `h:mm:ss` from then on. */
function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}
