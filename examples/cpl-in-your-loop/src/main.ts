import * as tf from "@tensorflow/tfjs";
import { runLoop } from "./loop";

await tf.setBackend("cpu");
const iterations = Number(process.argv[2] ?? 60);
for (const cplWeight of [0, 0.1]) {
  const history = runLoop({ iterations, seed: 1, cplWeight });
  const last = history.slice(-10);
  const meanReward = last.reduce((sum, record) => sum + record.meanReward, 0) / last.length;
  const share = last[last.length - 1]?.selectedShare.map((value) => value.toFixed(2)).join(" ");
  console.log(
    `cplWeight ${cplWeight}: mean reward over the last 10 iterations ${meanReward.toFixed(3)}; perception share by position ${share}`,
  );
}
