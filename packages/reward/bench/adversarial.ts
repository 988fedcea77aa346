// Worst-case timing of every public function on the 10 kB adversarial inputs the tests use.
// Run: npx tsx bench/adversarial.ts
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
rows.sort((a, b) => b.worstMs - a.worstMs);
console.log(`${rows.length} (input, call) pairs, ${REPEATS} repeats each; slowest ten:`);
for (const row of rows.slice(0, 10)) {
  console.log(
    `${row.input.padEnd(18)} ${row.call.padEnd(24)} worst ${row.worstMs.toFixed(2)} ms  median ${row.medianMs.toFixed(2)} ms`,
  );
}
rows.sort((a, b) => b.medianMs - a.medianMs);
console.log("largest medians (less sensitive to other processes on a shared machine):");
for (const row of rows.slice(0, 3)) {
  console.log(`${row.input.padEnd(18)} ${row.call.padEnd(24)} median ${row.medianMs.toFixed(2)} ms`);
}
