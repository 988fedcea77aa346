// Agreement with the verdicts of Hugging Face's Math-Verify test suite on its final-answer cases.
// Run: npx tsx bench/math-verify.ts [--list]   (--list prints every disagreement)
import { gradeCases, loadCases } from "../test/math-verify/agreement";

const cases = loadCases();
const verdicts = gradeCases(cases);
const agree = verdicts.filter((v) => v.verdict === v.expected);
const falseAccepts = verdicts.filter((v) => v.verdict === 1 && v.expected === 0);
const falseRejects = verdicts.filter((v) => v.verdict === 0 && v.expected === 1);
const percent = (n: number) => ((100 * n) / verdicts.length).toFixed(1);
console.log(`${cases.length} rows, ${cases.length - verdicts.length} skipped, ${verdicts.length} graded`);
console.log(`agree ${agree.length} / ${verdicts.length} (${percent(agree.length)}%)`);
console.log(`false accepts ${falseAccepts.length}, false rejects ${falseRejects.length}`);
const show = (text: string) => JSON.stringify(text.length > 90 ? `${text.slice(0, 87)}...` : text);
for (const v of falseAccepts) console.log(`false accept: ${v.id} gold ${show(v.gold)} pred ${show(v.pred)}`);
if (process.argv.includes("--list")) {
  for (const v of falseRejects)
    console.log(`false reject: ${v.id} gold ${show(v.gold)} pred ${show(v.pred)}`);
}
