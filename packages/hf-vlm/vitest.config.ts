import { cppoTest } from "../../config/vitest.preset";

export default cppoTest({ tfjs: true });
