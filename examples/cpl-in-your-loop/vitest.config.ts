import { cppoTest } from "../../config/vitest.preset";

// The loop imports @tensorflow/tfjs itself, as an existing Node project would; no extra backend setup.
export default cppoTest();
