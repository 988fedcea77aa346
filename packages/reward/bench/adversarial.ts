// Time per call of every public function on the 10 kB adversarial inputs the tests use, as a Markdown table.
// Run: npx tsx bench/adversarial.ts

import { loadavg } from "node:os";
import {
  evaluateExpression,
  extractBoxed,
  formatReward,
  gradeAnswer,
  mathReward,
  normalizeAnswer,
} from "../src/index";
import { ADVERSARIAL } from "../test/adversarial-inputs";

const REPEATS = 9;
const calls: Record<string, (text: string) => unknown> = {
  extractBoxed: (text) => extractBoxed(text),
  normalizeAnswer: (text) => normalizeAnswer(text),
  evaluateExpression: (text) => evaluateExpression(text),
  "gradeAnswer(t, t+1)": (text) => gradeAnswer(text, `${text}1`),
  "gradeAnswer(t, 1)": (text) => gradeAnswer(text, "1"),
  formatReward: (text) => formatReward(text),
  "mathReward(boxed t, t)": (text) => mathReward(`<think></think>\\boxed{${text}}`, text),
};

// One untimed pass first, so that the table measures the compiled code rather than the JIT's first tier.
for (const text of Object.values(ADVERSARIAL)) for (const run of Object.values(calls)) run(text);

const rows: Array<{ input: string; call: string; worstMs: number; medianMs: number }> = [];
for (const [input, text] of Object.entries(ADVERSARIAL)) {
  for (const [call, run] of Object.entries(calls)) {
    const times: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const start = performance.now();
      run(text);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({
      input,
      call,
      worstMs: times[REPEATS - 1] as number,
      medianMs: times[REPEATS >> 1] as number,
    });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const inputs = Object.keys(ADVERSARIAL).length;
console.log(
  `${inputs} hostile inputs of about 10 kB, ${REPEATS} calls each; load average ${(loadavg()[0] as number).toFixed(1)}`,
);
console.log("| call | median per call | slowest input (its median) | slowest single call |");
console.log("| --- | ---: | --- | ---: |");
for (const call of Object.keys(calls)) {
  const own = rows.filter((row) => row.call === call);
  const slowest = own.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const worst = Math.max(...own.map((row) => row.worstMs));
  console.log(
    `| \`${call}\` | ${median(own.map((row) => row.medianMs)).toFixed(3)} ms | ${slowest.input} (${slowest.medianMs.toFixed(2)} ms) | ${worst.toFixed(1)} ms |`,
  );
}
