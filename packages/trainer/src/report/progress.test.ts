import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress } from "./progress";

function fakeStream(columns?: number) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  Object.assign(stream, { columns });
  return { stream, chunks, text: () => chunks.join("") };
}

function fakeClock(startMs = 5000) {
  let t = startMs;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

/** What a terminal shows for the text: `\r` returns to column 0, ESC[K clears to the end, `\n` starts a row. */
function screen(text: string): string[] {
  const rows = [""];
  let column = 0;
  for (let i = 0; i < text.length; i++) {
    const row = rows.length - 1;
    if (text.startsWith("\x1b[K", i)) {
      rows[row] = (rows[row] ?? "").slice(0, column);
      i += 2;
    } else if (text[i] === "\r") column = 0;
    else if (text[i] === "\n") {
      rows.push("");
      column = 0;
    } else {
      const current = rows[row] ?? "";
      rows[row] = current.slice(0, column) + text[i] + current.slice(column + 1);
      column++;
    }
  }
  return rows;
}

describe("createProgress", () => {
  it("prints one plain line per update off a TTY, with ETA = (total - step) * elapsed / step", () => {
    const { stream, text } = fakeStream();
    const clock = fakeClock();
    const progress = createProgress({ total: 100, label: "train", stream, isTTY: false, now: clock.now });
    clock.advance(30);
    progress.update(10, { reward_mean: 0.5, kl: 0.00123 });
    // elapsed 30 s; eta (100 - 10) * 30 / 10 = 270 s
    clock.advance(70);
    progress.update(50, { reward_mean: 0.61234 });
    // elapsed 100 s; eta 50 * 100 / 50 = 100 s
    progress.log("sample 3: \\boxed{7}");
    clock.advance(4900);
    progress.done();
    expect(text()).toBe(
      [
        "train 10/100 (10%) elapsed 0:30 eta 4:30 reward_mean=0.5 kl=0.00123",
        "train 50/100 (50%) elapsed 1:40 eta 1:40 reward_mean=0.612",
        "sample 3: \\boxed{7}",
        "train done 50/100 in 1:23:20",
        "",
      ].join("\n"),
    );
  });

  it("redraws one line with a bar on a TTY and keeps it below logged lines", () => {
    const { stream, chunks, text } = fakeStream();
    const clock = fakeClock();
    const progress = createProgress({
      total: 100,
      label: "train",
      stream,
      isTTY: true,
      now: clock.now,
      barWidth: 10,
    });
    clock.advance(10);
    progress.update(5, { loss: 1 });
    clock.advance(50);
    progress.update(25, { loss: -0.0123 });
    // elapsed 60 s; eta 75 * 60 / 25 = 180 s; bar round(10 * 25 / 100) = 3 filled
    const bar25 = "train [###.......] 25/100 25% 1:00 eta 3:00 loss=-0.0123";
    expect(chunks[1]).toBe(`\r\x1b[K${bar25}`);
    progress.log("completion: <think>a\nb</think>");
    expect(screen(text())).toEqual(["completion: <think>a", "b</think>", bar25]);
    clock.advance(3540);
    progress.update(100, { loss: 0.5 });
    progress.done();
    expect(screen(text())).toEqual([
      "completion: <think>a",
      "b</think>",
      "train [##########] 100/100 100% 1:00:00 eta 0:00 loss=0.5",
      "",
    ]);
  });

  it("cuts the TTY line to the terminal width so it never wraps", () => {
    const { stream, chunks } = fakeStream(30);
    const clock = fakeClock();
    const progress = createProgress({ total: 10, stream, isTTY: true, now: clock.now, barWidth: 4 });
    clock.advance(1);
    progress.update(1, { a_long_metric_name: 1, another: 2 });
    expect(chunks[0]).toBe(
      `\r\x1b[K${"[....] 1/10 10% 0:01 eta 0:09 a_long_metric_name=1 another=2".slice(0, 29)}`,
    );
  });

  it("counts only steps since startStep for a resumed run, and shows ? before any", () => {
    const { stream, text } = fakeStream();
    const clock = fakeClock();
    const progress = createProgress({ total: 100, stream, isTTY: false, now: clock.now, startStep: 40 });
    progress.update(40);
    clock.advance(20);
    progress.update(50);
    // eta (100 - 50) * 20 / (50 - 40) = 100 s
    expect(text()).toBe("40/100 (40%) elapsed 0:00 eta ?\n50/100 (50%) elapsed 0:20 eta 1:40\n");
  });

  it("prints NaN figures rather than hiding them", () => {
    const { stream, text } = fakeStream();
    const progress = createProgress({ total: 2, stream, isTTY: false, now: () => 0 });
    progress.update(1, { loss: Number.NaN });
    expect(text()).toBe("1/2 (50%) elapsed 0:00 eta 0:00 loss=NaN\n");
  });

  it("rejects a bad total, an out-of-range step and an update after done", () => {
    const { stream } = fakeStream();
    expect(() => createProgress({ total: 0, stream })).toThrow("total must be an integer >= 1, got 0");
    expect(() => createProgress({ total: 5, stream, startStep: 6 })).toThrow(
      "startStep must be in [0, total=5]",
    );
    const progress = createProgress({ total: 5, stream, isTTY: false, now: () => 0 });
    expect(() => progress.update(6)).toThrow("step must be in [startStep=0, total=5], got 6");
    expect(() => progress.update(Number.NaN)).toThrow("got NaN");
    expect(() => progress.update(1, { kl: undefined as unknown as number })).toThrow(
      "summary.kl must be a number, got undefined",
    );
    progress.done();
    expect(() => progress.update(5)).toThrow("update() after done()");
  });
});
