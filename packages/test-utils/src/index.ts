// Importing this entry registers every tfjs-core gradient; a test file that wants only the minimal set
// imports "@cppo/test-utils/minimal-gradients" INSTEAD (each test file runs in its own process).
import "./all-gradients";

export {
  analyticGradient,
  analyticGradientFlat,
  finiteDifference,
  finiteDifferenceFlat,
} from "./finite-differences";
export { expectClose, expectNoLeak, matrix, read } from "./tensor-checks";
